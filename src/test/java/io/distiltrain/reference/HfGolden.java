package io.distiltrain.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.distiltrain.safetensors.DType;
import io.distiltrain.safetensors.SafetensorsFile;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Path;

/**
 * Test utility: the golden files in src/test/resources/hf-golden, written by PyTorch and Hugging
 * Face transformers themselves (make_golden.py there; its README says which versions). They are
 * the oracle this project did not write: model folders saved by {@code save_pretrained}, the
 * outputs transformers computes for them, the reference distiller's loss with its autograd
 * gradients, and torch.optim.AdamW's trajectory.
 */
public final class HfGolden {
    private HfGolden() {
    }

    /** The folder holding the golden files. */
    public static Path dir() {
        URL url = HfGolden.class.getResource("/hf-golden/make_golden.py");
        if (url == null) {
            throw new IllegalStateException("src/test/resources/hf-golden is not on the test class path");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A model folder written by transformers' save_pretrained: bert, roberta or distilbert. */
    public static Path model(String family) {
        return dir().resolve(family);
    }

    /** Opens one of the golden safetensors files, e.g. "loss.safetensors". */
    public static SafetensorsFile open(String name) {
        return SafetensorsFile.open(dir().resolve(name));
    }

    /** A floating-point tensor of a golden file as a float32 array of its shape. */
    public static NDArray array(NDManager manager, SafetensorsFile file, String name) {
        return manager.create(file.readFloats(name), new Shape(file.info(name).shape()));
    }

    /** A float64 tensor's elements, unrounded. */
    public static double[] doubles(SafetensorsFile file, String name) {
        if (file.info(name).dtype() != DType.F64) {
            throw new IllegalArgumentException(name + " is " + file.info(name).dtype() + ", not F64");
        }
        DoubleBuffer buffer = file.raw(name).duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] out = new double[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** A one-element float64 tensor. */
    public static double scalar(SafetensorsFile file, String name) {
        double[] values = doubles(file, name);
        if (values.length != 1) {
            throw new IllegalArgumentException(name + " holds " + values.length + " values, not 1");
        }
        return values[0];
    }
}
