package org.slimlab.kernel.magics;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.artifact.DefaultArtifactType;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.DefaultArtifactTypeRegistry;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves Maven coordinates with their runtime dependencies, transitively, with Apache Maven Resolver (the
 * library inside Maven), from Maven Central into the local repository ({@code ~/.m2/repository}, shared with
 * Maven). Artifacts whose POM says {@code <packaging>bundle</packaging>} (OSGi bundles), or dependencies declared
 * {@code <type>bundle</type>}, resolve to their jar.
 *
 * <p>Environment: {@code SLIMLAB_MAVEN_REPO} replaces Maven Central by a mirror URL; {@code SLIMLAB_MAVEN_OFFLINE=1}
 * resolves from the local repository only.
 */
public final class MavenResolver {

    public static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final Path localRepository;
    private final List<RemoteRepository> repositories = new ArrayList<>();
    private final boolean offline;
    private RepositorySystem system;

    public MavenResolver(Path localRepository, String centralUrl, boolean offline) {
        this.localRepository = localRepository;
        this.offline = offline;
        repositories.add(new RemoteRepository.Builder("central", "default", centralUrl).build());
    }

    /** The resolver configured from the environment (see the class comment). */
    public static MavenResolver fromEnvironment() {
        String local = System.getProperty("maven.repo.local");
        Path localRepo = local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        String central = System.getenv().getOrDefault("SLIMLAB_MAVEN_REPO", CENTRAL);
        boolean offline = "1".equals(System.getenv("SLIMLAB_MAVEN_OFFLINE")) || "true".equals(System.getenv("SLIMLAB_MAVEN_OFFLINE"));
        return new MavenResolver(localRepo, central, offline);
    }

    /** Adds a remote repository searched after the ones already known. */
    public synchronized void addRepository(String id, String url) {
        repositories.add(new RemoteRepository.Builder(id, "default", url).build());
    }

    /**
     * Parses {@code group:artifact:version}, {@code group:artifact:extension:version} or
     * {@code group:artifact:extension:classifier:version}; a {@code bundle} extension means {@code jar}.
     */
    public static Artifact parseCoordinates(String coords) {
        String[] parts = coords.trim().split(":");
        if (parts.length < 3 || parts.length > 5) {
            throw new IllegalArgumentException("Expected group:artifact:version (or group:artifact:type[:classifier]:version), got '" + coords + "'");
        }
        for (String p : parts) {
            if (p.isBlank()) throw new IllegalArgumentException("Empty part in Maven coordinates '" + coords + "'");
        }
        String ext = parts.length >= 4 ? parts[2] : "jar";
        if (ext.equals("bundle")) ext = "jar";
        String classifier = parts.length == 5 ? parts[3] : "";
        return new DefaultArtifact(parts[0], parts[1], classifier, ext, parts[parts.length - 1]);
    }

    /** The files of {@code coords} and all their runtime dependencies, the requested artifacts first. */
    public synchronized List<File> resolve(List<String> coords) throws Exception {
        if (system == null) system = new RepositorySystemSupplier().get();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        session.setOffline(offline);
        // POM profiles activate on java.version & co (commons-parent has such profiles): without these, reading
        // descriptors fails and the lenient default policy silently drops all transitive dependencies
        session.setSystemProperties(System.getProperties());
        session.setConfigProperties(System.getProperties());
        if (session.getArtifactTypeRegistry() instanceof DefaultArtifactTypeRegistry types) {
            types.add(new DefaultArtifactType("bundle", "jar", "", "java"));
        }
        CollectRequest collect = new CollectRequest();
        for (String c : coords) collect.addDependency(new Dependency(parseCoordinates(c), JavaScopes.RUNTIME));
        collect.setRepositories(new ArrayList<>(repositories));
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<File> files = new ArrayList<>();
        for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
            if (r.getArtifact() != null && r.getArtifact().getFile() != null) files.add(r.getArtifact().getFile());
        }
        return files;
    }
}
