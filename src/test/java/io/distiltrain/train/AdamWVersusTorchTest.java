package io.distiltrain.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distiltrain.reference.HfGolden;
import io.distiltrain.safetensors.SafetensorsFile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The optimizer path of one step (global-norm clipping, the warmup-then-decay learning rate,
 * AdamW with the reference's no-decay group) against PyTorch itself over six steps:
 * clip_grad_norm_, transformers' get_linear_schedule_with_warmup and torch.optim.AdamW with two
 * parameter groups, as the reference's train.py sets them up (make_golden.py in
 * src/test/resources/hf-golden). Steps 1, 3 and 5 are clipped, the first runs at lr 0.
 */
class AdamWVersusTorchTest {

    @Test
    void sixStepsMatchTorch() throws Exception {
        try (SafetensorsFile golden = HfGolden.open("optimizer.safetensors");
             NDManager manager = NDManager.newBaseManager()) {
            JsonNode o = new ObjectMapper().readTree(golden.metadata().get("settings"));
            AdamWSettings settings = new AdamWSettings(o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble(),
                    o.get("eps").asDouble(), o.get("weight_decay").asDouble());
            int total = o.get("total_steps").asInt();
            LinearWarmupSchedule schedule = LinearWarmupSchedule.of(total, o.get("warmup_prop").asDouble(),
                    o.get("lr").asDouble());
            assertEquals(o.get("warmup_steps").asInt(), schedule.warmupSteps(), "warmup steps");

            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (String name : golden.names()) {
                if (name.startsWith("initial/")) {
                    parameters.put(name.substring("initial/".length()), HfGolden.array(manager, golden, name));
                }
            }
            assertTrue(parameters.keySet().stream().anyMatch(AdamW::decays)
                    && parameters.keySet().stream().anyMatch(n -> !AdamW.decays(n)), "both groups present");
            try (AdamW adam = AdamW.create(parameters, Set.of(), settings)) {
                for (int step = 0; step < total; step++) {
                    Map<String, NDArray> gradients = new LinkedHashMap<>();
                    for (String name : parameters.keySet()) {
                        gradients.put(name, HfGolden.array(manager, golden, "grad." + step + "/" + name));
                    }
                    double norm = GradientClipping.clipGlobalNorm(gradients.values(), o.get("max_grad_norm").asDouble());
                    double torchNorm = HfGolden.scalar(golden, "norm." + step);
                    assertEquals(torchNorm, norm, 1e-6 * torchNorm, "gradient norm at step " + step);
                    double lr = schedule.lr(step);
                    assertEquals(HfGolden.scalar(golden, "lr." + step), lr, 1e-15, "learning rate at step " + step);
                    adam.update(gradients, lr);
                    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
                        float[] want = golden.readFloats("after." + step + "/" + p.getKey());
                        float[] got = p.getValue().toFloatArray();
                        for (int i = 0; i < want.length; i++) {
                            assertEquals(want[i], got[i], 1e-6, p.getKey() + "[" + i + "] after step " + step);
                        }
                    }
                }
            }
        }
    }
}
