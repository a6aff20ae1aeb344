package ai.molecule.debian;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} whose reads fail once no bytes have arrived for
 * {@code stall}: the HTTP client's own timeout ends with the headers, and a mirror that stops
 * sending mid-body must not hang the build. Subscribe it to {@code BodyHandlers.ofPublisher()}.
 */
final class StallTimeoutBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Duration stall;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> pending = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean finished;

    StallTimeoutBody(Duration stall) {
        this.stall = stall;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        arrived.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        arrived.add(error);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (finished) {
                return -1;
            }
            if (pending.hasNext()) {
                current = pending.next();
            } else {
                next();
            }
        }
        int n = Math.min(length, current.remaining());
        current.get(buffer, offset, n);
        return n;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (!finished && s != null) {
            s.cancel();
        }
        finished = true;
    }

    @SuppressWarnings("unchecked")
    private void next() throws IOException {
        Object item;
        try {
            item = arrived.poll(stall.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a download");
        }
        if (item == null) {
            close();
            throw new IOException("no data arrived for " + stall.toMillis() + " ms");
        }
        if (item == END) {
            finished = true;
        } else if (item instanceof Throwable error) {
            finished = true;
            throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
        } else {
            pending = ((List<ByteBuffer>) item).iterator();
            subscription.request(1);
        }
    }
}
