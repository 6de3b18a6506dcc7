package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.Request;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Val;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a request class's protocol and reply are read from its declaration, however it reaches {@link Request}. */
class RequestTypesTest {
    interface Account extends Val {
    }

    record Balance(long amount) implements Val {
    }

    record Page<T>(List<T> items) implements Val {
    }

    record Direct() implements Account, Request<Account, Balance> {
    }

    interface Query<R extends Sendable> extends Account, Request<Account, R> {
    }

    interface BalanceQuery extends Query<Balance> {
    }

    record ThroughTwo() implements BalanceQuery {
    }

    record Paged() implements Query<Page<Balance>> {
    }

    record Open<T extends Val>() implements Query<T> {
    }

    @SuppressWarnings("rawtypes")
    record Raw() implements Account, Request {
    }

    record Impostor() implements Request<Account, Balance> {
    }

    @Test
    void readsTheProtocolAndReplyWhereverTheyAreDeclared() {
        assertEquals(new RequestTypes.Shape(Account.class, Balance.class, null), RequestTypes.of(new Direct()));
        assertEquals(new RequestTypes.Shape(Account.class, Balance.class, null), RequestTypes.of(new ThroughTwo()));
        assertEquals(Page.class, RequestTypes.of(new Paged()).reply(), "a generic reply: its class");
    }

    @Test
    void aReplyLeftOpenOrRawAcceptsAnyWithinItsBound() {
        RequestTypes.Shape open = RequestTypes.of(new Open<Balance>());
        assertEquals(Val.class, open.reply(), "an open parameter stands for its bound");
        assertTrue(open.reply().isInstance(new Balance(1)));
        assertNull(RequestTypes.of(new Raw()).reply(), "a raw Request declares nothing");
    }

    @Test
    void aClassThatIsNotItsOwnProtocolIsRefusedEachTime() {
        for (int i = 0; i < 2; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RequestTypes.of(new Impostor()));
            assertTrue(e.getMessage().contains("does not implement Account"), e.getMessage());
        }
    }
}
