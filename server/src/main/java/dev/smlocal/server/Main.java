package dev.smlocal.server;

public final class Main {
    public static void main(String[] args) {
        System.out.println("smlocal");
    }
}
