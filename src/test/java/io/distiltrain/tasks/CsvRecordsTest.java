package io.distiltrain.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {
    private static List<CsvRecords.Record> all(String csv) throws IOException {
        CsvRecords r = new CsvRecords(new StringReader(csv), Path.of("t.csv"));
        List<CsvRecords.Record> out = new ArrayList<>();
        for (CsvRecords.Record rec = r.next(); rec != null; rec = r.next()) {
            out.add(rec);
        }
        return out;
    }

    @Test
    void rfc4180Fields() throws IOException {
        assertEquals(List.of(new CsvRecords.Record(List.of("a", "", "c"), 1),
                new CsvRecords.Record(List.of("", "x,y", "say \"hi\""), 2),
                new CsvRecords.Record(List.of("last", ""), 3)),
                all("a,,c\r\n\"\",\"x,y\",\"say \"\"hi\"\"\"\r\nlast,"));
    }

    @Test
    void lineNumbersCountBreaksInsideQuotesAndEveryLineEnding() throws IOException {
        List<CsvRecords.Record> r = all("h1,h2\n\"one\r\ntwo\rthree\nfour\",x\r\r\nnext,y\rcr,z\n");
        assertEquals(List.of("one\r\ntwo\rthree\nfour", "x"), r.get(1).fields());
        assertEquals(List.of(1L, 2L, 7L, 8L), r.stream().map(CsvRecords.Record::line).toList());
        assertEquals(List.of("cr", "z"), r.get(3).fields());
    }
}
