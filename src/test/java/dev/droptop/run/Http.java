package dev.droptop.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Small HTTP GET for tests (bounded by timeouts), and a free loopback port. */
final class Http {
    private Http() {
    }

    record Response(int code, String contentType, String body) {
    }

    static Response get(String url, String accept) throws IOException {
        return request("GET", url, accept);
    }

    static Response request(String method, String url, String accept) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(15000);
        if (accept != null) {
            c.setRequestProperty("Accept", accept);
        }
        try {
            int code = c.getResponseCode();
            InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(code, c.getContentType(), body);
        } finally {
            c.disconnect();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
