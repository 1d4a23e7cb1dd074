package org.openzoep.media.session;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.openzoep.media.mix.Mixer;

/**
 * One call's audio: a {@link Mixer} with the local party and up to {@code maxMembers} remote
 * members, each a {@link MediaSession}. Every call is a conference, even with two people: per
 * frame, each member's decoded voice goes into the mixer, each member is sent the mix of everyone
 * but itself (N-1), and the local party hears the mix of all members.
 *
 * <p>Threads: {@link #process} runs on the audio thread that drives the call (a device's loop or
 * the engine's clock) and allocates nothing and takes no lock. {@link #add}, {@link #remove},
 * {@link #mute} and {@link #hold} may be called from any thread; the audio thread sees them at its
 * next frame (members sit in an atomic array of fixed slots, whose mixer participants are made up
 * front). Buffers: PCM arrays borrowed.
 */
public final class Conference {

    private final int frameSamples;
    private final Mixer mixer;
    private final Mixer.Participant local;
    private final Mixer.Participant[] slots;
    private final AtomicReferenceArray<MediaSession> members;
    private volatile boolean muted;
    private volatile boolean held;
    /** Frames begun plus frames ended: odd while {@link #process} runs. Written by the audio thread only. */
    private volatile long seq;
    private volatile Thread audioThread;

    /**
     * @param maxMembers remote members it can hold (2 for a two-party call is plenty today)
     * @param frameSamples samples per frame of every member's codec (e.g. 960 for 20 ms Opus)
     */
    public Conference(int maxMembers, int frameSamples) {
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers " + maxMembers);
        }
        this.frameSamples = frameSamples;
        this.mixer = new Mixer(maxMembers + 1, frameSamples);
        this.local = mixer.add();
        this.slots = new Mixer.Participant[maxMembers];
        for (int i = 0; i < maxMembers; i++) {
            slots[i] = mixer.add();
        }
        this.members = new AtomicReferenceArray<>(maxMembers);
    }

    public int frameSamples() {
        return frameSamples;
    }

    /**
     * Adds a member; any thread.
     *
     * @return false when the conference is full
     * @throws IllegalArgumentException when the session's frame size differs from the conference's
     */
    public boolean add(MediaSession member) {
        if (member.frameSamples() != frameSamples) {
            throw new IllegalArgumentException("frame of " + member.frameSamples() + " samples, conference uses "
                    + frameSamples);
        }
        for (int i = 0; i < slots.length; i++) {
            if (members.compareAndSet(i, null, member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes a member; any thread. From the next frame on it is neither heard nor sent to; when
     * this returns, no audio thread uses the member any more (it waits, at most a frame, for a
     * frame in progress), so its codecs may be closed.
     */
    public void remove(MediaSession member) {
        boolean removed = false;
        for (int i = 0; i < slots.length; i++) {
            removed |= members.compareAndSet(i, member, null);
        }
        if (!removed || Thread.currentThread() == audioThread) {
            return;
        }
        long s = seq;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while ((s & 1) == 1 && seq == s && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** Number of members now. */
    public int size() {
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (members.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Mute: the local party's voice reaches no member (they get silence); the local party still hears them. */
    public void mute(boolean on) {
        muted = on;
    }

    public boolean muted() {
        return muted;
    }

    /** Hold: members get silence and the local party hears nothing; streams and RTCP keep running. */
    public void hold(boolean on) {
        held = on;
    }

    public boolean held() {
        return held;
    }

    /**
     * Audio thread: one frame of the call.
     *
     * @param capture borrowed; the local party's {@code frameSamples} samples from {@code captureOffset}
     * @param playback borrowed; receives what the local party hears, from {@code playbackOffset}
     */
    public void process(short[] capture, int captureOffset, short[] playback, int playbackOffset) {
        audioThread = Thread.currentThread();
        seq++; // odd: in a frame (see remove); single writer, the driving audio thread
        try {
            processFrame(capture, captureOffset, playback, playbackOffset);
        } finally {
            seq++;
        }
    }

    private void processFrame(short[] capture, int captureOffset, short[] playback, int playbackOffset) {
        boolean hold = held;
        System.arraycopy(capture, captureOffset, local.input(), 0, frameSamples);
        local.mute(muted || hold);
        local.setFrame(-1, true);
        for (int i = 0; i < slots.length; i++) {
            MediaSession m = members.get(i);
            if (m != null) {
                m.playbackFrame(slots[i].input(), 0);
                slots[i].setFrame(-1, true);
            }
        }
        mixer.mix();
        for (int i = 0; i < slots.length; i++) {
            MediaSession m = members.get(i);
            if (m != null) {
                m.captureFrame(slots[i].output(), 0);
            }
        }
        if (hold) {
            Arrays.fill(playback, playbackOffset, playbackOffset + frameSamples, (short) 0);
        } else {
            System.arraycopy(local.output(), 0, playback, playbackOffset, frameSamples);
        }
    }
}
