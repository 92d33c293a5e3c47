package org.slimlab.count;

import org.junit.jupiter.api.Test;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Standard architectures match their published counts (torchvision's; DESIGN.md), at 3x224x224 and 32x32. */
class PublishedCountsTest {

    static void assertMacs(Model m, double published) {
        assertThat((double) m.macs()).as("%s MACs", m.name()).isCloseTo(published, within(0.01 * published));
    }

    @Test
    void resnet18() {
        Model m = Models.resnet18(1000, 1);
        assertThat(m.params()).isEqualTo(11_689_512L);
        assertMacs(m, 1.81e9);
    }

    @Test
    void resnet50() {
        Model m = Models.resnet50(1000, 1);
        assertThat(m.params()).isEqualTo(25_557_032L);
        assertMacs(m, 4.09e9);
    }

    @Test
    void vgg16() {
        Model m = Models.vgg16(1000, 1);
        assertThat(m.params()).isEqualTo(138_357_544L);
        assertMacs(m, 15.47e9);
    }

    @Test
    void cifarResnets() {
        Model r20 = Models.cifarResnet(20, new int[]{16, 32, 64}, 3, 32, 10, 1);
        Model r56 = Models.cifarResnet(56, new int[]{16, 32, 64}, 3, 32, 10, 1);
        assertMacs(r20, 40.6e6);
        assertMacs(r56, 125.5e6);
        assertThat((double) r20.params()).isCloseTo(0.27e6, within(0.01e6));
        assertThat((double) r56.params()).isCloseTo(0.85e6, within(0.01e6));
    }

    @Test
    void convAndLinearFormulas() {
        // conv: out_h*out_w*C_out*C_in*k*k ; linear: in*out ; BN counted in params only
        Model m = Models.smallCnn(10, 1);
        long conv1 = 28L * 28 * 16 * 1 * 9, conv2 = 14L * 14 * 32 * 16 * 9, fc = 32L * 7 * 7 * 10;
        assertThat(m.macs()).isEqualTo(conv1 + conv2 + fc);
        long params = (16 * 9 + 16) + 2 * 16 + (32 * 16 * 9 + 32) + 2 * 32 + (32 * 49 * 10 + 10);
        assertThat(m.params()).isEqualTo(params);
        assertThat(m.summary().rowCount()).isEqualTo(6);   // 2 conv, 2 BN, 1 linear, total
    }
}
