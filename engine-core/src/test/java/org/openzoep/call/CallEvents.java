package org.openzoep.call;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.Call;
import org.openzoep.CallEvent;
import org.openzoep.xmpp.session.XmppException;

/** Collects an account's call events; {@link #next} waits for a matching one. */
class CallEvents implements AccountListener {
    record Seen(Call call, CallEvent event) {
    }

    final BlockingQueue<Seen> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> states = new LinkedBlockingQueue<>();

    @Override
    public void onCall(Account account, Call call, CallEvent event) {
        events.add(new Seen(call, event));
    }

    @Override
    public void onStateChanged(Account account, boolean online, XmppException cause) {
        states.add(online);
    }

    Seen next(CallEvent.Kind kind, long seconds) throws InterruptedException {
        return next(s -> s.event().kind() == kind, kind.toString(), seconds);
    }

    Seen next(Predicate<Seen> p, String what, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StringBuilder skipped = new StringBuilder();
        while (System.nanoTime() < deadline) {
            Seen s = events.poll(100, TimeUnit.MILLISECONDS);
            if (s == null) {
                continue;
            }
            if (p.test(s)) {
                return s;
            }
            skipped.append(' ').append(s.event());
        }
        throw new AssertionError("no " + what + " within " + seconds + " s; seen:" + skipped);
    }
}
