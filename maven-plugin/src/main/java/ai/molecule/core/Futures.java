package ai.molecule.core;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work handed to a thread pool, with its failure rethrown as it was thrown. */
public final class Futures {
    private Futures() {}

    /**
     * The result of {@code future}; its {@link IOException} or {@link RuntimeException} as thrown.
     *
     * @param what what is being waited for, for the interruption's message
     */
    public static <T> T await(Future<T> future, String what) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }
}
