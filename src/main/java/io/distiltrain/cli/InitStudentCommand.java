package io.distiltrain.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.distiltrain.AtomicFiles;
import io.distiltrain.model.ModelFolder;
import io.distiltrain.model.StudentInitializer;
import io.distiltrain.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init-student", mixinStandardHelpOptions = true,
        description = {"Initialise a student from a subset of a teacher's layers.",
            "BERT -> DistilBERT, RoBERTa -> 6-layer RoBERTa, DistilBERT -> shallower DistilBERT; embeddings and "
                    + "the MLM head come along. Writes a Hugging Face folder with tokenizer files."})
final class InitStudentCommand implements Callable<Integer> {
    @Option(names = "--teacher", required = true, paramLabel = "DIR", description = "Teacher model folder.")
    Path teacher;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New folder for the student.")
    Path output;

    @Option(names = "--layers", paramLabel = "LIST",
            description = "Teacher layers to keep, e.g. 0,2,4,7,9,11 (the reference's choice for 12 -> 6).")
    String layers;

    @Option(names = "--student-layers", defaultValue = "6", paramLabel = "N",
            description = "Student depth when --layers is not given; layers are spread evenly. Default: ${DEFAULT-VALUE}.")
    int studentLayers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        teacher = Common.modelFolder(teacher, "--teacher");
        Common.requireFreshDir(output, "--output");
        List<Integer> chosen = StudentInitializer.chooseLayers(teacher, layers, studentLayers);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            StudentInitializer.Student student = StudentInitializer.fromTeacher(teacher, chosen, manager, err::println);
            AtomicFiles.publishDirectory(output, dir -> {
                ModelFolder.save(student.config(), student.parameters(), dir);
                try (TextTokenizer tokenizer = TextTokenizer.load(teacher)) {
                    tokenizer.saveTo(dir);
                }
            });
            out.printf("student %s: %d layers from teacher layers %s, %,d parameters -> %s%n",
                    student.config().family().modelType(), chosen.size(), chosen,
                    student.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum(), output);
        }
        out.flush();
        return 0;
    }
}
