package dev.myrmex.core.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A send found a mailbox full; the stack trace shows the sender. */
@Name("dev.myrmex.MailboxOverflow")
@Label("Mailbox Overflow")
@Category({"Myrmex", "Mailboxes"})
@Description("A send found a mailbox full and followed its overflow policy")
public final class MailboxOverflowEvent extends jdk.jfr.Event {
    @Label("Recipient")
    public String recipient;

    @Label("Capacity")
    public int capacity;

    @Label("Policy")
    public String policy;

    @Label("Outcome")
    @Description("DROPPED (a dead letter), REFUSED (MailboxFullException) or WAITED (BLOCK, then room or a timeout)")
    public String outcome;
}
