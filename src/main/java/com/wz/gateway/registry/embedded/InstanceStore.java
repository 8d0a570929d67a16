package com.wz.gateway.registry.embedded;

import com.wz.gateway.registry.ServiceInstance;
import com.wz.gateway.registry.ServiceKey;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persistent instances of the embedded registry, under the data dir: a snapshot
 * ({@code instances.json}) and a journal of the changes since ({@code instances.journal}, one JSON
 * line each). A change costs one appended line, forced to disk before it is acknowledged; when the
 * journal grows past the snapshot, a new snapshot is written beside the old one, forced, and renamed
 * over it. A crash at any moment leaves a state that loads: the old or the new snapshot, the journal
 * entries newer than it, and at most one torn last line, which is dropped. Blocking: call it from a
 * worker thread only.
 */
public final class InstanceStore {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceStore.class);
  private static final int FORMAT = 1;
  private static final int MIN_COMPACTION = 1000;

  /** What the store holds: the persistent instances and the revision of the last saved change. */
  public record Contents(long revision, List<ServiceInstance> instances) {
  }

  private final Path snapshot;
  private final Path temp;
  private final Path journal;
  private FileChannel appender;
  private int journalled;
  private int held;

  public InstanceStore(Path dataDir) {
    this.snapshot = dataDir.resolve("instances.json");
    this.temp = dataDir.resolve("instances.json.tmp");
    this.journal = dataDir.resolve("instances.journal");
  }

  /** Reads the snapshot and replays the journal, creating the data dir when it is missing. Unreadable data is an error, never skipped. */
  public Contents load() {
    try {
      Files.createDirectories(snapshot.getParent());
      Files.deleteIfExists(temp);
      long revision = 0;
      Map<String, ServiceInstance> instances = new LinkedHashMap<>();
      if (Files.exists(snapshot)) {
        JsonObject json = readSnapshot();
        revision = json.getLong("revision", 0L);
        for (Object o : json.getJsonArray("instances", new JsonArray())) {
          ServiceInstance instance = ServiceInstance.fromJson((JsonObject) o);
          instances.put(id(instance.key(), instance.instanceId()), instance);
        }
      }
      revision = replay(revision, instances);
      held = instances.size();
      LOG.info("Loaded {} persistent instances from {} ({} journal entries)", instances.size(), snapshot.getParent(),
          journalled);
      return new Contents(revision, new ArrayList<>(instances.values()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + snapshot, e);
    }
  }

  /** Durably records that {@code after} replaces {@code before} (either may be null) at {@code revision}. */
  public void record(long revision, ServiceInstance before, ServiceInstance after) {
    JsonObject entry = new JsonObject().put("revision", revision);
    if (after != null) {
      entry.put("put", after.toJson());
    }
    if (before != null && (after == null || !before.instanceId().equals(after.instanceId()))) {
      entry.put("remove", new JsonObject().put("service", before.service()).put("group", before.group())
          .put("instanceId", before.instanceId()));
    }
    try {
      if (appender == null) {
        appender = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
      }
      write(appender, (entry.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      appender.force(false);
      journalled++;
      held += (after != null ? 1 : 0) - (before != null ? 1 : 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + journal, e);
    }
  }

  /** True when the journal has grown enough that a new snapshot should replace it. */
  public boolean wantsCompaction() {
    return journalled > Math.max(MIN_COMPACTION, 2 * held);
  }

  /** Writes {@code instances} as the new snapshot and starts an empty journal. */
  public void compact(long revision, Collection<ServiceInstance> instances) {
    JsonObject json = new JsonObject()
        .put("format", FORMAT)
        .put("revision", revision)
        .put("instances", new JsonArray(instances.stream().map(ServiceInstance::toJson).toList()));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        write(channel, json.encodePrettily().getBytes(StandardCharsets.UTF_8));
        channel.force(true);
      }
      move(temp, snapshot);
      syncDirectory();
      close();
      Files.deleteIfExists(journal);
      syncDirectory();
      journalled = 0;
      held = instances.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + snapshot, e);
    }
  }

  public void close() {
    if (appender != null) {
      try {
        appender.close();
      } catch (IOException e) {
        LOG.debug("Closing {}: {}", journal, e.getMessage());
      }
      appender = null;
    }
  }

  private JsonObject readSnapshot() throws IOException {
    try {
      return new JsonObject(Files.readString(snapshot, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the instance store " + snapshot + " is not valid JSON of this gateway: "
          + e.getMessage() + " (move it aside to start empty)", e);
    }
  }

  /** Applies the journal entries newer than {@code revision}; drops a torn last line. */
  private long replay(long revision, Map<String, ServiceInstance> instances) throws IOException {
    if (!Files.exists(journal)) {
      return revision;
    }
    List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
    long newest = revision;
    for (int i = 0; i < lines.size(); i++) {
      JsonObject entry;
      try {
        entry = new JsonObject(lines.get(i));
      } catch (RuntimeException e) {
        if (i == lines.size() - 1) {
          LOG.warn("Dropping a torn last entry of {} (a crash while writing it)", journal);
          truncateAfter(lines.subList(0, i));
          break;
        }
        throw new IllegalStateException("entry " + (i + 1) + " of " + journal + " is not valid JSON", e);
      }
      journalled++;
      long at = entry.getLong("revision", 0L);
      if (at <= revision) {
        continue;
      }
      JsonObject removed = entry.getJsonObject("remove");
      if (removed != null) {
        instances.remove(id(ServiceKey.of(removed.getString("group"), removed.getString("service")),
            removed.getString("instanceId")));
      }
      JsonObject put = entry.getJsonObject("put");
      if (put != null) {
        ServiceInstance instance = ServiceInstance.fromJson(put);
        if (instance.ephemeral()) {
          instances.remove(id(instance.key(), instance.instanceId()));
        } else {
          instances.put(id(instance.key(), instance.instanceId()), instance);
        }
      }
      newest = Math.max(newest, at);
    }
    return newest;
  }

  private void truncateAfter(List<String> kept) throws IOException {
    StringBuilder text = new StringBuilder();
    kept.forEach(line -> text.append(line).append('\n'));
    Path rewritten = journal.resolveSibling("instances.journal.tmp");
    try (FileChannel channel = FileChannel.open(rewritten, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      write(channel, text.toString().getBytes(StandardCharsets.UTF_8));
      channel.force(true);
    }
    move(rewritten, journal);
  }

  private static String id(ServiceKey key, String instanceId) {
    return key + "@@" + instanceId;
  }

  private static void write(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(snapshot.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot fsync directory {} on this platform", snapshot.getParent());
    }
  }
}
