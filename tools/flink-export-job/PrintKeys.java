// The keys the exported program's source emits, for tests/flink_export_job.rs to compare with StateLab's source:
// the first LIST keys, one per line, into KEYS_FILE, and the SHA-256 of the first DIGEST keys (each key's
// UTF-8 bytes and a newline) on stdout. Compiled into the exported program's package, next to its KeyGenerator.
//
//   java -cp CLASSES:FLINK_LIB/* statelab.job.PrintKeys LIST DIGEST KEYS_FILE
package statelab.job;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;

public class PrintKeys {
    public static void main(String[] args) throws Exception {
        long list = Math.min(Long.parseLong(args[0]), StateLabJob.EVENTS);
        long digest = Math.min(Long.parseLong(args[1]), StateLabJob.EVENTS);
        KeyGenerator generator = new KeyGenerator();
        generator.open(null);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[2]), StandardCharsets.UTF_8))) {
            for (long i = 0; i < Math.max(list, digest); i++) {
                String key = String.valueOf(generator.map(i));
                if (i < list) {
                    out.print(key + "\n");
                }
                if (i < digest) {
                    sha.update((key + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) {
            hex.append(String.format("%02x", b));
        }
        System.out.println(digest + " " + hex);
    }
}
