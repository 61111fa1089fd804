package io.deepmnist.web.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler (a controller, or one of its methods) that answers predictions: with an API key set it stays
 * open unless {@code mnist.security.protect-predict} is set. {@link ApiKeyInterceptor} reads it from the handler
 * Spring MVC matched, so what the key protects is decided by the route that runs, never by the request's text.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface PredictionEndpoint {
}
