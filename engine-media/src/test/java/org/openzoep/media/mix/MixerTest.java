package org.openzoep.media.mix;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MixerTest {

    private static final int FRAME = 960;

    private static void fill(Mixer.Participant p, int value, int level) {
        Arrays.fill(p.input(), (short) value);
        p.setFrame(level, true);
    }

    private static int min(short[] x) {
        int m = Integer.MAX_VALUE;
        for (short v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static int max(short[] x) {
        int m = Integer.MIN_VALUE;
        for (short v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Test
    void everyoneHearsTheMixMinusTheirOwnVoice() {
        Mixer m = new Mixer(8, FRAME);
        Mixer.Participant a = m.add();
        Mixer.Participant b = m.add();
        Mixer.Participant c = m.add();
        Mixer.Participant listener = m.add();
        fill(a, 100, 30);
        fill(b, 200, 30);
        fill(c, 400, 30);
        fill(listener, 0, 127);
        m.mix();
        assertThat(a.output()).containsOnly((short) 600);
        assertThat(b.output()).containsOnly((short) 500);
        assertThat(c.output()).containsOnly((short) 300);
        assertThat(listener.output()).containsOnly((short) 700);
        assertThat(m.speakersInLastFrame()).isEqualTo(3);
        assertThat(listener.speaking()).isFalse();
    }

    @Test
    void fullScaleNegativeInputsStayNegativeAndPositiveStayPositive() {
        Mixer m = new Mixer(8, FRAME);
        Mixer.Participant[] p = {m.add(), m.add(), m.add(), m.add()};
        for (int i = 0; i < 3; i++) {
            fill(p[i], Short.MIN_VALUE, 0);
        }
        fill(p[3], 0, 127);
        m.mix();
        // -32768 * 3 would wrap to a positive value in 16 bits; the limiter must keep it at full-scale negative
        assertThat(max(p[3].output())).isLessThanOrEqualTo(-32760);
        assertThat(max(p[0].output())).isLessThanOrEqualTo(-32760);

        for (int i = 0; i < 3; i++) {
            fill(p[i], Short.MAX_VALUE, 0);
        }
        fill(p[3], 0, 127);
        m.mix();
        assertThat(min(p[3].output())).isGreaterThanOrEqualTo(32760);
        assertThat(min(p[0].output())).isGreaterThanOrEqualTo(32760);
    }

    @Test
    void loudSineMixIsLimitedWithoutChangingSign() {
        Mixer m = new Mixer(8, FRAME);
        Mixer.Participant[] p = {m.add(), m.add(), m.add(), m.add()};
        for (int f = 0; f < 20; f++) {
            for (int i = 0; i < 3; i++) {
                short[] in = p[i].input();
                for (int s = 0; s < FRAME; s++) {
                    in[s] = (short) Math.round(30000 * Math.sin(2 * Math.PI * (300 + 50 * i) * (f * FRAME + s) / 48000.0));
                }
                p[i].setFrame(3, true);
            }
            fill(p[3], 0, 127);
            m.mix();
            for (int s = 0; s < FRAME; s++) {
                int trueSum = p[0].input()[s] + p[1].input()[s] + p[2].input()[s];
                short out = p[3].output()[s];
                assertThat(Integer.signum(out) * Integer.signum(trueSum)).isGreaterThanOrEqualTo(0);
                assertThat(Math.abs((int) out)).isLessThanOrEqualTo(Math.abs(trueSum));
            }
        }
    }

    @Test
    void onlyTheThreeLoudestActiveSpeakersAreMixed() {
        Mixer m = new Mixer(8, FRAME);
        Mixer.Participant[] p = new Mixer.Participant[6];
        for (int i = 0; i < p.length; i++) {
            p[i] = m.add();
        }
        // values are powers of two so the mix says exactly who is in it; levels: lower is louder
        int[] level = {40, 10, 50, 20, 30, 127};
        for (int i = 0; i < p.length; i++) {
            fill(p[i], 1 << i, level[i]);
        }
        m.mix();
        int loudest = (1 << 1) + (1 << 3) + (1 << 4); // levels 10, 20, 30
        assertThat(p[5].output()).containsOnly((short) loudest);
        assertThat(p[0].output()).containsOnly((short) loudest); // not speaking: hears all three
        assertThat(p[1].output()).containsOnly((short) (loudest - 2));
        assertThat(p[1].speaking()).isTrue();
        assertThat(p[0].speaking()).isFalse();

        // the loudest mutes: the fourth loudest moves in
        for (int i = 0; i < p.length; i++) {
            fill(p[i], 1 << i, level[i]);
        }
        p[1].mute(true);
        m.mix();
        assertThat(p[5].output()).containsOnly((short) ((1 << 3) + (1 << 4) + 1));
        assertThat(p[1].output()).containsOnly((short) ((1 << 3) + (1 << 4) + 1)); // muted still hears

        // a participant without a frame this time is not mixed
        for (int i = 0; i < p.length; i++) {
            if (i != 3) {
                fill(p[i], 1 << i, level[i]);
            }
        }
        m.mix();
        assertThat(p[5].output()).containsOnly((short) ((1 << 4) + 1 + (1 << 2)));
    }

    @Test
    void levelIsMeasuredWhenTheStreamCarriesNone() {
        Mixer m = new Mixer(8, FRAME, 1);
        Mixer.Participant quiet = m.add();
        Mixer.Participant loud = m.add();
        Mixer.Participant listener = m.add();
        fill(quiet, 100, -1);
        fill(loud, 3000, -1);
        fill(listener, 0, -1);
        m.mix();
        assertThat(listener.output()).containsOnly((short) 3000);
    }

    @Test
    void gainScalesAParticipantsVoice() {
        Mixer m = new Mixer(8, FRAME);
        Mixer.Participant a = m.add();
        Mixer.Participant b = m.add();
        a.gain(0.5);
        fill(a, 1000, 20);
        fill(b, 0, 127);
        m.mix();
        assertThat(b.output()).containsOnly((short) 500);
    }

    @Test
    void mixingAllocatesNothing() {
        Mixer m = new Mixer(64, FRAME);
        Mixer.Participant[] p = new Mixer.Participant[50];
        for (int i = 0; i < p.length; i++) {
            p[i] = m.add();
            Arrays.fill(p[i].input(), (short) (i * 100));
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = mx.getThreadAllocatedBytes(tid);
            }
            for (int f = 0; f < 5_000; f++) {
                for (int i = 0; i < p.length; i++) {
                    p[i].setFrame((i * 7 + f) % 128, (f & 1) == 0);
                }
                m.mix();
            }
        }
        assertThat(mx.getThreadAllocatedBytes(tid) - before).isZero();
    }
}
