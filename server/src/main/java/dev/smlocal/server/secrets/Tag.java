package dev.smlocal.server.secrets;

/** A secret's tag, as the API names it ({@code Key}, {@code Value}). */
public record Tag(String key, String value) {}
