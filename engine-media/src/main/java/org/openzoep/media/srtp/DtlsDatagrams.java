package org.openzoep.media.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.openzoep.media.transport.PacketTransport;

/**
 * BouncyCastle's view of the path: {@link #receive} (blocking, on the handshake executor) polls a
 * bounded queue the event loop fills with copies of inbound DTLS datagrams; {@link #send} copies
 * into a pooled buffer and gives it to the path. A full queue drops the datagram (DTLS
 * retransmits). Closing wakes a blocked {@code receive}, which then fails.
 *
 * <p>Thread: {@link #offer} on the event loop, the rest on the handshake executor.
 * Buffers: {@link #offer} borrows; {@link #send} hands a new buffer (ownership) to the path.
 */
final class DtlsDatagrams implements DatagramTransport {

    /** Datagram size BouncyCastle fragments its handshake to: safe on any path, TURN included. */
    static final int SEND_LIMIT = 1200;
    static final int RECEIVE_LIMIT = 2048;
    private static final int QUEUE = 64;
    /** Longest a receive with "wait forever" blocks before BouncyCastle gets to check its clocks. */
    private static final int MAX_WAIT_MILLIS = 100;
    private static final byte[] WAKE = new byte[0];

    private final PacketTransport path;
    private final ArrayBlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean closed;

    DtlsDatagrams(PacketTransport path) {
        this.path = path;
    }

    /**
     * Queues a copy of one inbound DTLS datagram.
     *
     * @param buf borrowed
     * @return false if closed, too long or the queue is full (dropped)
     */
    boolean offer(ByteBuf buf, int offset, int length) {
        if (closed || length > RECEIVE_LIMIT) {
            return false;
        }
        byte[] copy = new byte[length];
        buf.getBytes(offset, copy);
        return inbound.offer(copy);
    }

    boolean hasPending() {
        return !closed && !inbound.isEmpty();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] d;
        try {
            d = inbound.poll(waitMillis > 0 ? Math.min(waitMillis, MAX_WAIT_MILLIS) : MAX_WAIT_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for DTLS");
        }
        if (d == null) {
            return -1;
        }
        if (d == WAKE || closed) {
            throw new IOException("DTLS transport closed");
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            // an alert BouncyCastle raises after we gave up: nobody is listening any more
            return;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(len);
        out.writeBytes(buf, off, len);
        // the handshake thread hops to the path's loop itself: a loop that is gone (the engine
        // stopped mid-handshake) then refuses here, quietly, not inside Netty's write path
        EventLoop loop = path.eventLoop();
        if (loop.inEventLoop()) {
            path.send(out);
            return;
        }
        try {
            loop.execute(() -> path.send(out));
        } catch (RejectedExecutionException e) {
            out.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        inbound.clear();
        inbound.offer(WAKE);
    }
}
