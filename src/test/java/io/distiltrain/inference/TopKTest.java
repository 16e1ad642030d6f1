package io.distiltrain.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void largestFirstAndTiesByLowerIndex() {
        float[] v = {0.1f, 0.5f, 0.2f, 0.5f, 0.9f, 0.2f};
        assertArrayEquals(new int[] {4, 1, 3}, TopK.indices(v, 3));
        assertArrayEquals(new int[] {4, 1, 3, 2, 5, 0}, TopK.indices(v, 6));
        assertArrayEquals(new int[] {4, 1, 3, 2, 5, 0}, TopK.indices(v, 100), "k over the length gives every index");
        assertArrayEquals(new int[0], TopK.indices(v, 0));
        assertArrayEquals(new int[0], TopK.indices(new float[0], 3));
        assertThrows(IllegalArgumentException.class, () -> TopK.indices(v, -1));
    }

    @Test
    void nanRanksLast() {
        assertArrayEquals(new int[] {2, 0, 1}, TopK.indices(new float[] {0f, Float.NaN, 1f}, 3));
    }

    @Test
    void agreesWithAFullSort() {
        Random r = new Random(3);
        float[] v = new float[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(200) / 10f; // many ties
        }
        int[] sorted = IntStream.range(0, v.length).boxed()
                .sorted((a, b) -> v[a] != v[b] ? Float.compare(v[b], v[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
        for (int k : new int[] {1, 5, 50, 4999, 5000}) {
            assertArrayEquals(java.util.Arrays.copyOf(sorted, k), TopK.indices(v, k), "k " + k);
        }
    }
}
