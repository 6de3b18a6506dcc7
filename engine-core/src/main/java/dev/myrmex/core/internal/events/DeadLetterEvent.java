package dev.myrmex.core.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A message was not delivered and became a dead letter. */
@Name("dev.myrmex.DeadLetter")
@Label("Dead Letter")
@Category({"Myrmex", "Mailboxes"})
@StackTrace(false)
public final class DeadLetterEvent extends jdk.jfr.Event {
    @Label("Recipient")
    public String recipient;

    @Label("Reason")
    public String reason;

    @Label("Payload Type")
    public Class<?> payloadType;
}
