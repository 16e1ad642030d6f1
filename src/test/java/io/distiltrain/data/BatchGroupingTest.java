package io.distiltrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The reference's grouped_batch_sampler.py: length bins and GroupedBatchSampler.__iter__. */
class BatchGroupingTest {

    /** create_lengths_groups + _quantize, literally: bins = arange(3, k, 4), bisect_right. */
    private static int referenceGroup(int length, int k) {
        List<Integer> bins = new ArrayList<>();
        for (int b = 3; b < k; b += 4) {
            bins.add(b);
        }
        int lo = 0;
        int hi = bins.size();
        while (lo < hi) { // bisect.bisect_right
            int mid = (lo + hi) / 2;
            if (length < bins.get(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @Test
    void binsMatchBisectOverArange() {
        for (int k = 1; k <= 40; k++) {
            LengthGroups groups = new LengthGroups(k);
            int max = 0;
            for (int length = 0; length <= k + 5; length++) {
                assertEquals(referenceGroup(length, k), groups.groupOf(length), "k " + k + ", length " + length);
                max = Math.max(max, groups.groupOf(length));
            }
            assertEquals(max + 1, groups.count(), "k " + k);
        }
        LengthGroups bert = new LengthGroups(512);
        assertEquals(129, bert.count(), "boundaries 3, 7, ..., 511");
        assertEquals(0, bert.groupOf(2));
        assertEquals(1, bert.groupOf(3));
        assertEquals(1, bert.groupOf(6));
        assertEquals(2, bert.groupOf(7));
        assertEquals(3, bert.groupOf(12));
        assertEquals(127, bert.groupOf(510));
        assertEquals(128, bert.groupOf(511));
        assertEquals(128, bert.groupOf(512));
        for (int length = 0; length <= 512; length++) {
            assertEquals(referenceGroup(length, 512), bert.groupOf(length));
        }
    }

    // lengths by index; with k = 16 the boundaries are 3, 7, 11, 15
    private static final int[] LENGTHS = {12, 4, 13, 8, 5, 14, 9, 16};
    private static final int[] GROUPS = {3, 1, 3, 2, 1, 3, 2, 4};
    private static final int[] ORDER = {5, 1, 0, 3, 7, 2, 4, 6};

    private static List<int[]> batches(EpochPlan plan) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < plan.batches(); b++) {
            out.add(plan.batch(b));
        }
        return out;
    }

    @Test
    void handComputedGroupedBatches() {
        LengthGroups groups = new LengthGroups(16);
        for (int i = 0; i < LENGTHS.length; i++) {
            assertEquals(GROUPS[i], groups.groupOf(LENGTHS[i]), "index " + i);
        }
        // Batch size 2: 5(g3) 1(g1) 0(g3) -> [5,0]; 3(g2) 7(g4) 2(g3) 4(g1) -> [1,4]; 6(g2) -> [3,6];
        // leftovers by group id: g3 [2], g4 [7] -> [2,7].
        List<int[]> two = batches(EpochPlan.grouped(ORDER, 2, i -> groups.groupOf(LENGTHS[i]), groups.count()));
        assertEquals(4, two.size());
        assertArrayEquals(new int[] {5, 0}, two.get(0));
        assertArrayEquals(new int[] {1, 4}, two.get(1));
        assertArrayEquals(new int[] {3, 6}, two.get(2));
        assertArrayEquals(new int[] {2, 7}, two.get(3));
        // Batch size 3: 5 1 0 3 7 2 -> [5,0,2]; 4 6 fill nothing; leftovers g1 [1,4], g2 [3,6], g4 [7]
        // concatenated [1,4,3,6,7] -> [1,4,3], [6,7].
        List<int[]> three = batches(EpochPlan.grouped(ORDER, 3, i -> groups.groupOf(LENGTHS[i]), groups.count()));
        assertEquals(3, three.size());
        assertArrayEquals(new int[] {5, 0, 2}, three.get(0));
        assertArrayEquals(new int[] {1, 4, 3}, three.get(1));
        assertArrayEquals(new int[] {6, 7}, three.get(2));
        // Without grouping: consecutive runs of the order.
        List<int[]> plain = batches(EpochPlan.consecutive(ORDER, 3));
        assertArrayEquals(new int[] {5, 1, 0}, plain.get(0));
        assertArrayEquals(new int[] {3, 7, 2}, plain.get(1));
        assertArrayEquals(new int[] {4, 6}, plain.get(2));
    }

    /** GroupedBatchSampler.__iter__ as written, with its dict of lists and the sorted leftovers. */
    private static List<int[]> referenceGrouped(int[] order, int[] groupIds, int batchSize) {
        List<int[]> out = new ArrayList<>();
        Map<Integer, List<Integer>> buffer = new TreeMap<>();
        for (int idx : order) {
            List<Integer> b = buffer.computeIfAbsent(groupIds[idx], g -> new ArrayList<>());
            b.add(idx);
            if (b.size() == batchSize) {
                out.add(b.stream().mapToInt(Integer::intValue).toArray());
                buffer.remove(groupIds[idx]);
            }
        }
        int expected = (order.length + batchSize - 1) / batchSize;
        if (expected - out.size() > 0) {
            List<Integer> batch = new ArrayList<>();
            for (List<Integer> idxs : buffer.values()) { // sorted by group id
                batch.addAll(idxs);
                if (batch.size() >= batchSize) {
                    out.add(batch.subList(0, batchSize).stream().mapToInt(Integer::intValue).toArray());
                    batch = new ArrayList<>(batch.subList(batchSize, batch.size()));
                }
            }
            if (!batch.isEmpty()) {
                out.add(batch.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }

    @Test
    void matchesTheReferenceIteratorOnRandomData() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            int k = 12 + random.nextInt(100);
            int batchSize = 1 + random.nextInt(12);
            LengthGroups groups = new LengthGroups(k);
            int[] lengths = random.ints(n, 12, k + 1).toArray();
            int[] groupIds = new int[n];
            for (int i = 0; i < n; i++) {
                groupIds[i] = groups.groupOf(lengths[i]);
            }
            int[] order = EpochPlan.permutation(n, trial, 0);
            List<int[]> expected = referenceGrouped(order, groupIds, batchSize);
            List<int[]> actual = batches(EpochPlan.grouped(order, batchSize, i -> groupIds[i], groups.count()));
            assertEquals(expected.size(), actual.size(), "trial " + trial);
            assertEquals(EpochPlan.batchCount(n, batchSize), actual.size());
            for (int b = 0; b < expected.size(); b++) {
                assertArrayEquals(expected.get(b), actual.get(b), "trial " + trial + ", batch " + b);
            }
        }
    }
}
