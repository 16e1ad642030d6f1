package io.distiltrain.run;

import ai.djl.ndarray.NDManager;
import io.distiltrain.data.PreparedDataset;
import io.distiltrain.distill.MaskedLmEvaluation;
import io.distiltrain.model.MaskedLmModel;
import io.distiltrain.train.PeriodicEvaluation;

/** The student's held-out masked-LM figures every evaluation.interval steps, as the config asks. */
final class HeldOutEvaluation {
    private HeldOutEvaluation() {
    }

    /** Null when evaluation.interval is 0 (the config refuses an interval without data.held_out). */
    static PeriodicEvaluation<MaskedLmModel> periodic(RunSetup setup) {
        var e = setup.cfg().evaluation();
        if (e.interval() == 0) {
            return null;
        }
        PreparedDataset heldOut = PreparedDataset.open(setup.cfg().data().heldOut());
        return new PeriodicEvaluation<>(e.interval(), student -> {
            try (NDManager m = NDManager.newBaseManager(setup.devices().get(0))) {
                return MaskedLmEvaluation.evaluate(student, heldOut, e.maxSequences(), m).asMap();
            }
        });
    }
}
