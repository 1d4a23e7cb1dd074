package org.openzoep;

import java.util.Objects;

/**
 * A call operation that could not be done, e.g. answering a call that does not ring. The
 * {@link CallEnd.Reason} gives the conditions, as the XML API's {@code <voice type='error'>}.
 */
public final class CallFailure extends ZoepException {
    private final CallEnd.Reason reason;

    public CallFailure(CallEnd.Reason reason, String text) {
        super(requireError(reason).errorType(), reason.condition(), reason.wireName(), text, null);
        this.reason = reason;
    }

    private static CallEnd.Reason requireError(CallEnd.Reason r) {
        if (!Objects.requireNonNull(r, "reason").isError()) {
            throw new IllegalArgumentException(r + " is not an error");
        }
        return r;
    }

    public CallEnd.Reason reason() {
        return reason;
    }
}
