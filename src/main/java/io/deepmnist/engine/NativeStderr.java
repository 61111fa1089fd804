package io.deepmnist.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's standard error, as TensorFlow's native code writes to it. On a machine without CUDA the GPU build
 * prints error-level lines while it loads (plugins registered twice, cuInit failing); some go through absl, which
 * no environment variable silences. So stderr is redirected to a file around the load and read back afterwards.
 * Where libc cannot be reached (JNA missing, Windows), nothing is redirected.
 */
final class NativeStderr {

    /** TensorFlow's own knob for its C++ log lines: 0 all, 1 warnings and above, 2 errors, 3 fatal only. */
    static final String LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL";
    static final String DEFAULT_LOG_LEVEL = "1";
    /**
     * TensorFlow's switch for its oneDNN kernels. Unset, it turns them on only for CPUs with AVX512_VNNI, AVX_VNNI,
     * AVX512_BF16 or AMX; on the AVX2-only build machine they trained the CNN 1.47x as fast as TensorFlow's own.
     */
    static final String ONEDNN_VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

    /**
     * TensorFlow's switch that gives each session the intra-op pool its own options ask for, instead of one pool
     * for the process sized by the first session: prediction sessions for lone images have one thread, training
     * sessions one per core.
     */
    static final String PER_SESSION_POOLS_VARIABLE = "TF_OVERRIDE_GLOBAL_THREADPOOL";

    private static final Logger log = LoggerFactory.getLogger(NativeStderr.class);
    private static final int STDERR = 2;

    interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int close(int fd);

        Pointer fopen(String path, String mode);

        int fileno(Pointer stream);

        int fflush(Pointer stream);

        int fclose(Pointer stream);

        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    private NativeStderr() {
    }

    /**
     * Sets {@value #LOG_LEVEL_VARIABLE} to warnings and above for this process unless the user set it; it must
     * happen before TensorFlow's library is loaded, which reads it once.
     */
    static void defaultLogLevel() {
        setIfUnset(LOG_LEVEL_VARIABLE, DEFAULT_LOG_LEVEL);
    }

    /**
     * Turns TensorFlow's oneDNN kernels on for this process unless the user set {@value #ONEDNN_VARIABLE} (0 turns
     * them off); like the log level, it must happen before TensorFlow's library is loaded.
     */
    static void defaultOneDnn() {
        setIfUnset(ONEDNN_VARIABLE, "1");
    }

    /** Per-session intra-op pools unless the user set {@value #PER_SESSION_POOLS_VARIABLE}; read by the first session. */
    static void defaultPerSessionPools() {
        setIfUnset(PER_SESSION_POOLS_VARIABLE, "true");
    }

    /**
     * Whether {@value #PER_SESSION_POOLS_VARIABLE} is on as TensorFlow reads it: from the process's environment as
     * native code sees it (Java's copy does not see {@code setenv}).
     */
    static boolean perSessionPools() {
        LibC libc = libc();
        String value = libc == null ? System.getenv(PER_SESSION_POOLS_VARIABLE) : libc.getenv(PER_SESSION_POOLS_VARIABLE);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private static void setIfUnset(String variable, String value) {
        LibC libc = libc();
        if (libc != null && System.getenv(variable) == null) {
            libc.setenv(variable, value, 0);
        }
    }

    /** Runs {@code work} with stderr going to a file, and returns the lines written meanwhile. */
    static List<String> capture(Runnable work) {
        LibC libc = libc();
        if (libc == null) {
            work.run();
            return List.of();
        }
        Path file;
        try {
            file = Files.createTempFile("tensorflow-stderr", ".log");
        } catch (IOException e) {
            log.debug("Cannot capture TensorFlow's stderr: {}", e.getMessage());
            work.run();
            return List.of();
        }
        Pointer stream = libc.fopen(file.toString(), "w");
        int saved = stream == null ? -1 : libc.dup(STDERR);
        if (saved < 0 || libc.dup2(libc.fileno(stream), STDERR) < 0) {
            close(libc, stream, saved);
            delete(file);
            work.run();
            return List.of();
        }
        try {
            work.run();
        } finally {
            libc.fflush(null);
            libc.dup2(saved, STDERR);
            close(libc, stream, saved);
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        } finally {
            delete(file);
        }
    }

    private static void close(LibC libc, Pointer stream, int saved) {
        if (saved >= 0) {
            libc.close(saved);
        }
        if (stream != null) {
            libc.fclose(stream);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static LibC libc() {
        if (!Platform.isLinux() && !Platform.isMac()) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError e) {
            log.debug("libc is out of reach ({}); TensorFlow's start-up lines go to stderr as they are", e.getMessage());
            return null;
        }
    }
}
