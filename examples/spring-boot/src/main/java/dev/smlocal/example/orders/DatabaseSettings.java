package dev.smlocal.example.orders;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** What the application made of its secret: the keys of {@code prod/orders/db}, imported with the prefix {@code orders.db.}. */
@Component
public class DatabaseSettings {
    private final String url;
    private final String username;
    private final String password;

    public DatabaseSettings(@Value("${orders.db.host}") String host, @Value("${orders.db.port}") int port,
                            @Value("${orders.db.dbname}") String dbname, @Value("${orders.db.username}") String username,
                            @Value("${orders.db.password}") String password) {
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + dbname;
        this.username = username;
        this.password = password;
    }

    public String url() { return url; }

    public String username() { return username; }

    public String password() { return password; }
}
