package io.deepmnist.inference;

import io.deepmnist.config.FeedbackProperties;
import io.deepmnist.dataset.MnistFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The prediction log in the store ({@code prediction_log}): every answered image gets an id, and its input (784
 * bytes), the model, the digit and the probabilities are written off the request's path, in batches, by a thread
 * of its own. A full queue drops entries (counted, and their ids are not given out) rather than slow a prediction
 * down. Retention keeps the newest {@code mnist.feedback.max-entries} and none older than {@code max-age}.
 * A label (the right digit) can be given for any logged id ({@code prediction_label}, a row per labelled prediction),
 * and the labels make each model's live accuracy.
 */
@Component
public class PredictionLog implements SmartLifecycle {

    /** A prediction and the label a user gave it. */
    public record Labelled(String predictionId, String modelId, int digit, int label, boolean correct) {
    }

    /** @param rehearsal the service's own warm-up: written in a transaction that is rolled back */
    private record Entry(String id, String modelId, int digit, byte[] probabilities, byte[] pixels, Instant at, boolean rehearsal) {
    }

    private static final Logger log = LoggerFactory.getLogger(PredictionLog.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BATCH = 500;
    private static final long FLUSH_MS = 200;
    private static final long GATHER_MS = 100;
    /** How long after its answer a prediction may still be on its way to the store from another replica. */
    static final Duration IN_TRANSIT = Duration.ofSeconds(2);
    /** Labels that wait for such a prediction at once; beyond these, a label that finds no row is refused at once. */
    static final int MAX_WAITING_LABELS = 4;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final FeedbackProperties properties;
    private final PredictionLogRetention retention;
    private final BlockingQueue<Entry> queue;
    private final ReentrantLock writing = new ReentrantLock();
    /** Signalled after each batch; with the two counts, lets {@link #flush()} wait for the batch the writer holds. */
    private final Condition batchWritten = writing.newCondition();
    private final AtomicLong queued = new AtomicLong();
    private final Semaphore waiting = new Semaphore(MAX_WAITING_LABELS);
    private long handled; // guarded by writing
    private final Counter dropped;
    private final Counter failed;
    private volatile boolean running;
    private Thread writer;

    PredictionLog(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions, FeedbackProperties properties,
                  MeterRegistry meters) {
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
        this.properties = properties;
        this.retention = new PredictionLogRetention(jdbc, properties);
        this.queue = new ArrayBlockingQueue<>(Math.max(1, properties.queue()));
        this.dropped = Counter.builder("deepmnist.feedback.log.dropped").description("Answered images not logged: the queue was full")
                .register(meters);
        this.failed = Counter.builder("deepmnist.feedback.log.failed").description("Answered images not logged: the store failed")
                .register(meters);
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /**
     * Logs the answered images of a result.
     *
     * @param rehearsal the service's own warm-up: its images take the whole path, up to the store's insert, in a
     *                  transaction that is then rolled back, so that the path is compiled before the first user's
     *                  prediction (without this, the first 10 s of load after the warm-up answered about 1,500
     *                  requests/s instead of 2,400) and the log keeps nothing of it
     * @return one id per image, in order, null for an image that was not logged; empty when the log is off or for
     * a rehearsal
     */
    public List<String> record(Predictor.Result result, boolean rehearsal) {
        if (!properties.enabled()) {
            return List.of();
        }
        Instant now = Instant.now();
        List<String> ids = new ArrayList<>(result.predictions().size());
        float[] inputs = result.inputs();
        for (int i = 0; i < result.predictions().size(); i++) {
            Prediction p = result.predictions().get(i);
            String id = newId();
            Entry entry = new Entry(id, result.modelId(), p.digit(), probabilities(p.probabilities()), pixels(inputs, i), now, rehearsal);
            if (queue.offer(entry)) {
                queued.incrementAndGet();
                ids.add(id);
            } else {
                if (!rehearsal) {
                    dropped.increment();
                }
                ids.add(null);
            }
        }
        return rehearsal ? List.of() : ids;
    }

    /**
     * Records the right digit for a logged prediction; a second label replaces the first.
     *
     * @throws PredictionNotFoundException where no such prediction is logged (unknown, expired, or the log is off)
     */
    public Labelled label(String predictionId, int label) {
        if (!properties.enabled() || predictionId == null || !ID.matcher(predictionId).matches()) {
            throw new PredictionNotFoundException(predictionId, properties.enabled());
        }
        if (update(predictionId, label) == 0) {
            flush(); // it may still wait in the queue
            if (update(predictionId, label) == 0 && !awaitRow(predictionId, label)) {
                throw new PredictionNotFoundException(predictionId, true);
            }
        }
        return jdbc.sql("SELECT model_id, digit FROM prediction_label WHERE prediction_id = ?").param(predictionId)
                .query((row, n) -> new Labelled(predictionId, row.getString(1), row.getInt(2), label, row.getInt(2) == label))
                .optional().orElseThrow(() -> new PredictionNotFoundException(predictionId, true));
    }

    /** Labelled predictions of a model and how many of them it got right. */
    public FeedbackAccuracy accuracy(String modelId) {
        long[] counts = jdbc.sql("SELECT COUNT(*), COALESCE(SUM(CASE WHEN label = digit THEN 1 ELSE 0 END), 0) FROM prediction_label "
                + "WHERE model_id = ?").param(modelId)
                .query((row, n) -> new long[] {row.getLong(1), row.getLong(2)}).single();
        return FeedbackAccuracy.of(modelId, counts[0], counts[1]);
    }

    /** Every model's labelled predictions and how many it got right, in one query. */
    public List<FeedbackAccuracy> accuracies() {
        return accuracies(Instant.EPOCH);
    }

    /** As {@link #accuracies()}, counting only the predictions answered at or after {@code since}. */
    public List<FeedbackAccuracy> accuracies(Instant since) {
        return jdbc.sql("SELECT model_id, COUNT(*), SUM(CASE WHEN label = digit THEN 1 ELSE 0 END) FROM prediction_label "
                + "WHERE created_at >= ? GROUP BY model_id").param(since.atOffset(ZoneOffset.UTC))
                .query((row, n) -> FeedbackAccuracy.of(row.getString(1), row.getLong(2), row.getLong(3))).list();
    }

    /**
     * A prediction answered moments ago by another replica may still be in that replica's queue: its writer gathers
     * for {@value #GATHER_MS} ms. The id says when it was answered (its first 48 bits are milliseconds), so a label
     * for a recent one tries again until {@link #IN_TRANSIT} after that; an older or unknown one is refused at once.
     */
    private boolean awaitRow(String id, int label) {
        UUID uuid = UUID.fromString(id);
        long answered = uuid.getMostSignificantBits() >>> 16;
        long now = System.currentTimeMillis();
        long until = answered + IN_TRANSIT.toMillis();
        if (uuid.version() != 7 || until <= now || answered > now + IN_TRANSIT.toMillis()) {
            return false; // not recent, or not a time a replica gave out
        }
        // The route is open: ids dated now, made up, must not hold every request thread for 2 s.
        if (!waiting.tryAcquire()) {
            return false;
        }
        try {
            while (System.currentTimeMillis() < until) {
                Thread.sleep(20);
                if (update(id, label) > 0) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.release();
        }
        return false;
    }

    /** Labels a logged prediction, or labels it again; 0 where the log holds no such prediction (yet). */
    private int update(String id, int label) {
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        int updated = relabel(id, label, now);
        if (updated > 0) {
            return updated;
        }
        try {
            return jdbc.sql("INSERT INTO prediction_label (prediction_id, model_id, digit, label, created_at, labelled_at) "
                    + "SELECT id, model_id, digit, ?, created_at, ? FROM prediction_log WHERE id = ?").params(label, now, id).update();
        } catch (DuplicateKeyException e) {
            return relabel(id, label, now); // another label for it came at the same moment
        }
    }

    private int relabel(String id, int label, OffsetDateTime now) {
        return jdbc.sql("UPDATE prediction_label SET label = ?, labelled_at = ? WHERE prediction_id = ?").params(label, now, id).update();
    }

    /**
     * Writes what waits in the queue now, and waits for the batch the writer thread may have taken from the queue
     * already: without that, a label sent right after its prediction found neither the row nor the queued entry.
     */
    public void flush() {
        writing.lock();
        try {
            long target = queued.get();
            List<Entry> batch = new ArrayList<>();
            while (queue.drainTo(batch, BATCH) > 0) {
                insert(batch);
                batch.clear();
            }
            while (handled < target && batchWritten.await(5, TimeUnit.SECONDS)) {
                // the writer thread signals after its batch
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writing.unlock();
        }
    }

    /** Writes a batch taken from the queue; called with {@code writing} held. */
    private void insert(List<Entry> batch) {
        try {
            store(batch);
        } finally {
            handled += batch.size();
            batchWritten.signalAll();
        }
    }

    private void store(List<Entry> batch) {
        List<Entry> rehearsals = batch.stream().filter(Entry::rehearsal).toList();
        if (!rehearsals.isEmpty()) {
            try {
                transactions.executeWithoutResult(status -> {
                    write(rehearsals);
                    status.setRollbackOnly();
                });
            } catch (RuntimeException e) {
                log.debug("A rehearsal of the prediction log failed: {}", e.getMessage());
            }
            batch = batch.stream().filter(e -> !e.rehearsal()).toList();
            if (batch.isEmpty()) {
                return;
            }
        }
        try {
            write(batch);
        } catch (RuntimeException e) {
            failed.increment(batch.size());
            log.warn("{} answered images could not be logged: {}", batch.size(), e.getMessage());
        }
    }

    private void write(List<Entry> batch) {
        template.batchUpdate("INSERT INTO prediction_log (id, model_id, digit, probabilities, pixels, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                batch, batch.size(), (statement, e) -> {
                    statement.setString(1, e.id());
                    statement.setString(2, e.modelId());
                    statement.setInt(3, e.digit());
                    statement.setBytes(4, e.probabilities());
                    statement.setBytes(5, e.pixels());
                    statement.setObject(6, e.at().atOffset(ZoneOffset.UTC));
                });
    }

    private void run() {
        boolean retaining = false;
        while (running) {
            try {
                Entry first = queue.poll(retaining ? 0 : FLUSH_MS, TimeUnit.MILLISECONDS);
                long started = System.nanoTime();
                if (first != null) {
                    writing.lock();
                    try {
                        List<Entry> batch = new ArrayList<>(List.of(first));
                        queue.drainTo(batch, BATCH - 1);
                        insert(batch);
                    } finally {
                        writing.unlock();
                    }
                }
                retaining = retention.step();
                if (first != null && !retaining) {
                    gather(started);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Lets the next batch gather for {@value #GATHER_MS} ms after the last one began, unless a whole batch waits
     * already: each commit rewrites the pages it touched, so many small batches cost far more than a few large ones.
     */
    private void gather(long started) throws InterruptedException {
        long left;
        while (queue.size() < BATCH && (left = started + TimeUnit.MILLISECONDS.toNanos(GATHER_MS) - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }

    /**
     * A time-ordered (version 7) UUID: 48 bits of milliseconds, then random bits from the thread's own generator.
     * Time order keeps the store's inserts at the end of the primary key's index; random (version 4) ids spread
     * each batch over the whole index, and H2 rewrote so many pages that logging halved the predictions' throughput.
     * {@link UUID#randomUUID()} would also share one SecureRandom among all request threads. The ids need to be
     * unique and hard to hit by chance; a label for someone else's prediction is no more than a wrong label.
     */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Little-endian floats: 40 bytes, written by the store as they are (text cost it more than the insert). */
    private static byte[] probabilities(float[] probabilities) {
        ByteBuffer bytes = ByteBuffer.allocate(probabilities.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float p : probabilities) {
            bytes.putFloat(p);
        }
        return bytes.array();
    }

    /** The image as the model saw it, in bytes 0-255. */
    private static byte[] pixels(float[] inputs, int index) {
        byte[] bytes = new byte[MnistFile.PIXELS];
        for (int p = 0; p < bytes.length; p++) {
            bytes[p] = (byte) Math.max(0, Math.min(255, Math.round(inputs[index * MnistFile.PIXELS + p] * 255)));
        }
        return bytes;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        running = true;
        writer = new Thread(this::run, "prediction-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    /** After the web server's stop, so that the last answers are logged too. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
