package dev.keyline.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * HTTP/1.1 pipelining, bounded: at most {@code keyline.http.max-pipelined-requests} requests of one connection
 * waiting for their answers; past that the connection is closed. And a request whose
 * connection is already closed is not served at all.
 *
 * <p>
 * Why: Vert.x parses every request a client pipelines, as fast as it arrives, into a queue of its own that has
 * no bound (about 1.8 KB of heap for a 30-byte {@code GET}), and serves them one after the other, also after the
 * client has closed the connection, for nobody. A probe that wrote 2,000 requests per connection and closed
 * at once, over and over, held 1.4 million of them within seconds and ran the console (no token needed: its
 * sign-in page) out of memory, and made a service run hundreds of thousands of authorised list queries after
 * their client had gone. Browsers and common HTTP clients do not pipeline; a client that does, and reads its
 * answers, stays under the bound.
 *
 * <p>
 * How: the first request of a connection adds a Netty handler between Vert.x' HTTP decoder and its connection
 * handler. It counts each request decoded and each answer's last part written (a client that pipelines and
 * never reads is Vert.x' own case: it stops serving while the connection cannot take more); the request over
 * the bound is dropped and the connection closed. The requests decoded in the same read as the first one
 * reach Vert.x before the handler exists: at most one read's worth (Netty's first read of a connection is 2 KiB),
 * once per connection. Vert.x' connection
 * is reached through {@link ConnectionBase#channel()} (an implementation class); were it another, nothing is
 * bounded and a warning says so once.
 */
@ApplicationScoped
public class PipelinedRequests {

    private static final Logger LOG = Logger.getLogger(PipelinedRequests.class);

    /** The handler's name in the channel's pipeline. */
    static final String NAME = "keyline-pipelined-requests";

    /** Vert.x' own connection handler's name: requests reach it after the decoder. */
    static final String VERTX_HANDLER = "handler";

    @ConfigProperty(name = "keyline.http.max-pipelined-requests", defaultValue = "32")
    int limit;

    private volatile boolean warned;

    void install(@Observes Router router) {
        // Before everything else on the router, as the other early checks: a closed connection needs no answer.
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        if (ctx.response().closed()) {
            // The client sent this request behind others and has gone: whatever the request asked, nobody reads
            // the answer. Ending it lets Vert.x move on to the next queued one (also dropped here) at once.
            LOG.debug("request on a closed connection not served");
            ctx.response().end();
            return;
        }
        HttpConnection connection = ctx.request().connection();
        if (connection instanceof ConnectionBase base) {
            Channel channel = base.channel();
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NAME) == null && pipeline.get(VERTX_HANDLER) != null) {
                // This request was decoded before the handler existed: it counts as the first one waiting.
                pipeline.addBefore(VERTX_HANDLER, NAME, new Bound(limit, 1));
            }
        } else if (!warned && connection != null && ctx.request().version() != null
                && !ctx.request().version().alpnName().equals("h2")) {
            warned = true;
            LOG.warnf("HTTP/1.x connection of type %s: pipelined requests are not bounded", connection.getClass().getName());
        }
        ctx.next();
    }

    /** One connection's requests waiting for their answers. Runs on the connection's event loop only. */
    static final class Bound extends ChannelDuplexHandler {

        private final int limit;
        private int waiting;
        private boolean closing;

        Bound(int limit, int waiting) {
            this.limit = limit;
            this.waiting = waiting;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                if (closing || ++waiting > limit) {
                    if (!closing) {
                        closing = true;
                        LOG.debugf("connection closed: more than %d pipelined requests waiting for their answers", limit);
                        ctx.close();
                    }
                    ReferenceCountUtil.release(msg);
                    return;
                }
            } else if (closing) {
                // The body of a request dropped above, or of one decoded after the close: nobody serves it.
                ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && !informational(msg)) {
                // Never below 0: the requests decoded before this handler existed were not counted in.
                waiting = Math.max(0, waiting - 1);
            }
            ctx.write(msg, promise);
        }

        /** A {@code 100 Continue}: not the request's answer. */
        private static boolean informational(Object msg) {
            return msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
    }
}
