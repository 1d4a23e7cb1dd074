package org.openzoep.media.quality;

/**
 * The ITU-T G.107 E-model, reduced to the terms a VoIP endpoint can measure: with every other
 * parameter at its G.107 default, {@code R = 93.2 - Idd - Ie,eff}, where
 * <ul>
 * <li>{@code Idd} is the delay impairment of G.107 (7-27): 0 up to {@code Ta = 100 ms}, then
 *     {@code 25 * ((1 + X^6)^(1/6) - 3 (1 + (X/3)^6)^(1/6) + 2)} with {@code X = log2(Ta / 100)};</li>
 * <li>{@code Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)} (7-29), with the codec's
 *     equipment impairment {@code Ie} and packet-loss robustness {@code Bpl}, the loss percentage
 *     {@code Ppl} and the burst ratio {@code BurstR} (1 for random loss, above 1 for bursts);</li>
 * <li>{@code MOS = 1 + 0.035 R + R (R - 60)(100 - R) 7e-6} for {@code 0 < R < 100} (B-4).</li>
 * </ul>
 * The echo terms (Idte, Idle) are left at their defaults (TELR 65 dB: negligible), so this
 * assumes echo is cancelled. G.113 gives Ie/Bpl only for narrowband codecs; the Opus values below
 * are an assumption (treated as G.711 with PLC: Ie 0, Bpl 25.1) until G.113 lists Opus.
 *
 * <p>Thread: any; immutable.
 */
public final class EModel {

    /** G.711 with packet loss concealment (G.113 Appendix I): Ie 0, Bpl 25.1. */
    public static final EModel G711_PLC = new EModel(0, 25.1);
    /** Opus with PLC: assumed equal to G.711 with PLC on the narrowband scale (see class doc). */
    public static final EModel OPUS = new EModel(0, 25.1);

    private final double ie;
    private final double bpl;

    public EModel(double ie, double bpl) {
        this.ie = ie;
        this.bpl = bpl;
    }

    /** Delay impairment Idd for a one-way (mouth-to-ear) delay in ms. */
    public static double idd(double oneWayDelayMs) {
        if (oneWayDelayMs <= 100) {
            return 0;
        }
        double x = Math.log(oneWayDelayMs / 100.0) / Math.log(2);
        return 25 * (Math.pow(1 + Math.pow(x, 6), 1.0 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1.0 / 6) + 2);
    }

    /** Effective equipment impairment for {@code lossPercent} (0..100) and {@code burstR} (at least 1). */
    public double ieEff(double lossPercent, double burstR) {
        double ppl = Math.max(0, lossPercent);
        double br = Math.max(1, burstR);
        return ie + (95 - ie) * ppl / (ppl / br + bpl);
    }

    /** Transmission rating R. */
    public double r(double oneWayDelayMs, double lossPercent, double burstR) {
        return 93.2 - idd(oneWayDelayMs) - ieEff(lossPercent, burstR);
    }

    /** MOS (conversational quality, estimated) for a rating R. */
    public static double mos(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    /**
     * BurstR from a two-state (Gilbert) model of the loss pattern: {@code 1 / (p + q)} with p the
     * probability of a loss after a good frame and q of a good frame after a loss.
     *
     * @return 1 when there were no losses (or no good frames)
     */
    public static double burstR(long goodAfterGood, long lostAfterGood, long goodAfterLost, long lostAfterLost) {
        long fromGood = goodAfterGood + lostAfterGood;
        long fromLost = goodAfterLost + lostAfterLost;
        if (fromGood == 0 || fromLost == 0 || lostAfterGood == 0) {
            return 1;
        }
        double p = (double) lostAfterGood / fromGood;
        double q = (double) goodAfterLost / fromLost;
        return Math.max(1, 1 / (p + q));
    }
}
