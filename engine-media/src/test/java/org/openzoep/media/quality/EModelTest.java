package org.openzoep.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EModelTest {

    @Test
    void defaultsGiveR93AndMos441() {
        double r = EModel.G711_PLC.r(0, 0, 1);
        assertThat(r).isEqualTo(93.2);
        assertThat(EModel.mos(r)).isCloseTo(4.41, within(0.01));
    }

    @Test
    void delayImpairmentFollowsG107() {
        assertThat(EModel.idd(100)).isZero();
        // (7-27) at Ta = 200 ms: X = 1, Idd = 25 (2^(1/6) - 3 (1 + 3^-6)^(1/6) + 2) = 3.04
        assertThat(EModel.idd(200)).isCloseTo(25 * (Math.pow(2, 1.0 / 6) - 3 * Math.pow(1 + Math.pow(1.0 / 3, 6), 1.0 / 6) + 2), within(1e-9));
        assertThat(EModel.idd(200)).isBetween(3.0, 3.1);
        assertThat(EModel.idd(400)).isGreaterThan(EModel.idd(300)).isGreaterThan(EModel.idd(200));
    }

    @Test
    void lossAndBurstinessLowerTheRating() {
        EModel m = EModel.G711_PLC;
        // random loss 5%: Ie,eff = 95 * 5 / (5 + 25.1) = 15.78
        assertThat(m.ieEff(5, 1)).isCloseTo(95 * 5 / 30.1, within(1e-9));
        assertThat(m.r(0, 5, 1)).isCloseTo(93.2 - 15.78, within(0.01));
        assertThat(m.ieEff(5, 2)).isGreaterThan(m.ieEff(5, 1));
        assertThat(EModel.mos(m.r(0, 5, 2))).isLessThan(EModel.mos(m.r(0, 5, 1)));
        assertThat(EModel.mos(-5)).isEqualTo(1);
        assertThat(EModel.mos(120)).isEqualTo(4.5);
    }

    @Test
    void burstRatioFromTheLossPattern() {
        // random: each frame lost with p = 0.1 independently -> p = 0.1, q = 0.9, BurstR = 1
        assertThat(EModel.burstR(810, 90, 90, 10)).isCloseTo(1.0, within(1e-9));
        // bursty: p = 0.02, q = 0.25 -> BurstR = 1 / 0.27
        assertThat(EModel.burstR(980, 20, 15, 45)).isCloseTo(1 / 0.27, within(1e-9));
        assertThat(EModel.burstR(1000, 0, 0, 0)).isEqualTo(1);
    }
}
