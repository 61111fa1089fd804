package io.deepmnist.web.http;

import io.deepmnist.jobs.EventSubscriber;
import io.deepmnist.jobs.JobEvent;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** An event stream as server-sent events: each stored event with its sequence number as id, comments as heartbeats. */
public final class ServerSentEvents {

    private ServerSentEvents() {
    }

    /** @param subscribe subscribes the stream's subscriber and returns what closes the subscription */
    public static SseEmitter stream(HttpServletRequest request, Function<EventSubscriber, Runnable> subscribe) {
        SseEmitter emitter = new SseEmitter(0L);
        EndPoint connection = connection(request);
        try {
            // Commits the headers at once: a stream with no history yet (the models') would otherwise say nothing, not
            // even 200, until its first event or heartbeat, and a client could not tell it was open.
            emitter.send(SseEmitter.event().comment("open"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runnable unsubscribe = subscribe.apply(new EventSubscriber() {
            @Override
            public void onEvent(JobEvent event) throws Exception {
                emitter.send(SseEmitter.event().id(Long.toString(event.seq())).name(event.type()).data(event.data()));
            }

            @Override
            public void onHeartbeat() throws Exception {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            }

            @Override
            public void onComplete() {
                emitter.complete();
            }

            @Override
            public void abort() {
                TimeoutException reason = new TimeoutException("the client read no event for mnist.jobs.send-timeout");
                if (connection != null) {
                    connection.close(reason);
                } else {
                    emitter.completeWithError(reason);
                }
            }
        });
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError(e -> unsubscribe.run());
        return emitter;
    }

    /** A send that blocks (the client reads nothing) only ends when the connection does; null outside Jetty. */
    private static EndPoint connection(HttpServletRequest request) {
        try {
            return ServletContextRequest.getServletContextRequest(request).getConnectionMetaData().getConnection().getEndPoint();
        } catch (IllegalStateException notJetty) {
            return null; // MockMvc's request
        }
    }
}
