package com.wz.gateway.registry.embedded;

import com.wz.gateway.registry.ServiceInstance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

/**
 * The persistent instances of the embedded registry, kept in one JSON file under the data dir.
 *
 * <p>Every save writes a whole new file beside the old one, forces it to disk, then renames it over
 * the old one: a crash at any moment leaves either the old file or the new one, never a torn one.
 * Blocking: call it from a worker thread only.
 */
public final class InstanceStore {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceStore.class);
  private static final int FORMAT = 1;

  /** What the store holds: the persistent instances and the revision of the last saved change. */
  public record Contents(long revision, List<ServiceInstance> instances) {
  }

  private final Path file;
  private final Path temp;

  public InstanceStore(Path dataDir) {
    this.file = dataDir.resolve("instances.json");
    this.temp = dataDir.resolve("instances.json.tmp");
  }

  public Path file() {
    return file;
  }

  /** Reads the store, creating the data dir when it is missing. A file that cannot be read is an error, never skipped. */
  public Contents load() {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(temp);
      if (!Files.exists(file)) {
        return new Contents(0, List.of());
      }
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      List<ServiceInstance> instances = json.getJsonArray("instances", new JsonArray()).stream()
          .map(o -> ServiceInstance.fromJson((JsonObject) o))
          .toList();
      LOG.info("Loaded {} persistent instances from {}", instances.size(), file);
      return new Contents(json.getLong("revision", 0L), instances);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("the instance store " + file + " is not valid JSON of this gateway: "
          + e.getMessage() + " (move it aside to start empty)", e);
    }
  }

  /** Replaces the stored instances with {@code instances}, durably and atomically. */
  public void save(long revision, Collection<ServiceInstance> instances) {
    JsonObject json = new JsonObject()
        .put("format", FORMAT)
        .put("revision", revision)
        .put("instances", new JsonArray(instances.stream().map(ServiceInstance::toJson).toList()));
    byte[] bytes = json.encodePrettily().getBytes(StandardCharsets.UTF_8);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move();
      syncDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void move() throws IOException {
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot fsync directory {} on this platform", file.getParent());
    }
  }
}
