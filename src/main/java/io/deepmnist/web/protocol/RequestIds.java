package io.deepmnist.web.protocol;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id an inference response carries when its request came without one. A random (version 4) UUID from the
 * thread's own generator: {@link UUID#randomUUID()} draws from one SecureRandom that the request threads take in
 * turn, and a batch's 32 answers are built at the same moment. The id only matches a response to its request.
 */
public final class RequestIds {

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
