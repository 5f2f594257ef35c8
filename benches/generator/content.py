"""Names and file contents: the words teams use and the configuration files they keep
in ConfigMaps and Secrets. Everything is drawn from a caller's `random.Random`.
"""

from __future__ import annotations

import base64
import random
import string

from benches.generator.jsontext import indented

TEAMS = (
    "payments",
    "checkout",
    "search",
    "identity",
    "catalog",
    "ledger",
    "risk",
    "growth",
    "media",
    "notify",
    "billing",
    "ads",
    "maps",
    "support",
    "data",
    "ml",
    "security",
    "observability",
    "storefront",
    "logistics",
    "pricing",
    "reviews",
    "messaging",
    "partners",
    "inventory",
    "fraud",
    "loyalty",
    "accounts",
    "reporting",
    "edge",
)

APP_NOUNS = (
    "api",
    "worker",
    "gateway",
    "scheduler",
    "indexer",
    "cache",
    "auth",
    "router",
    "ingest",
    "exporter",
    "sync",
    "notifier",
    "renderer",
    "consumer",
    "producer",
    "frontend",
    "backend",
    "admin",
    "webhook",
    "reconciler",
    "aggregator",
    "resolver",
    "ranker",
    "crawler",
    "uploader",
    "thumbnailer",
    "mailer",
    "tracker",
    "planner",
    "importer",
    "archiver",
    "auditor",
    "broker",
    "collector",
    "dispatcher",
    "emitter",
)

APP_QUALIFIERS = (
    "",
    "",
    "",
    "",
    "orders",
    "events",
    "users",
    "reports",
    "images",
    "sessions",
    "invoices",
    "feeds",
    "jobs",
    "metrics",
    "alerts",
    "graph",
    "stream",
    "batch",
)

ENV_NAMES = (
    "LOG_LEVEL",
    "LOG_FORMAT",
    "HTTP_PORT",
    "GRPC_PORT",
    "METRICS_PORT",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_POOL_SIZE",
    "REDIS_URL",
    "KAFKA_BROKERS",
    "KAFKA_TOPIC",
    "FEATURE_FLAGS",
    "TRACING_ENABLED",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "CACHE_TTL_SECONDS",
    "REQUEST_TIMEOUT_MS",
    "MAX_CONNECTIONS",
    "WORKER_CONCURRENCY",
    "REGION",
    "ENVIRONMENT",
    "JAVA_OPTS",
    "GOMAXPROCS",
    "GOMEMLIMIT",
    "NODE_ENV",
    "PYTHONUNBUFFERED",
    "SENTRY_ENVIRONMENT",
    "S3_BUCKET",
    "QUEUE_NAME",
    "BATCH_SIZE",
    "RETRY_LIMIT",
    "UPSTREAM_URL",
    "ALLOWED_ORIGINS",
    "TZ",
    "LANG",
    "SHUTDOWN_GRACE",
)

REGISTRIES = ("registry.example.com", "ghcr.io/example", "eu.gcr.io/example-prod")
PUBLIC_IMAGES = (
    ("redis", ("7.2.4-alpine", "7.2.5", "6.2.14")),
    ("postgres", ("16.2", "15.6-alpine")),
    ("nginx", ("1.25.4", "1.26.0-alpine")),
    ("memcached", ("1.6.26",)),
    ("busybox", ("1.36.1",)),
    ("envoyproxy/envoy", ("v1.29.2", "v1.30.1")),
    ("prom/statsd-exporter", ("v0.26.1",)),
    ("otel/opentelemetry-collector", ("0.98.0",)),
)

_WORDS = (
    "alpha",
    "amber",
    "basin",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "glade",
    "harbor",
    "inlet",
    "juniper",
    "kestrel",
    "lagoon",
    "meadow",
    "nimbus",
    "orchid",
    "prairie",
    "quartz",
    "ridge",
    "sierra",
    "tundra",
    "umber",
    "valley",
    "willow",
    "yarrow",
    "zephyr",
)
_ALNUM = string.ascii_lowercase + string.digits
_B64 = string.ascii_letters + string.digits + "+/"


def token(rng: random.Random, length: int, alphabet: str = _ALNUM) -> str:
    return "".join(rng.choices(alphabet, k=length))


def word(rng: random.Random) -> str:
    return rng.choice(_WORDS)


def version(rng: random.Random) -> str:
    return f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}"


def image(rng: random.Random, team: str, app: str) -> str:
    if rng.random() < 0.1:
        name, tags = rng.choice(PUBLIC_IMAGES)
        return f"{name}:{rng.choice(tags)}"
    tag = version(rng)
    if rng.random() < 0.15:
        tag += "-" + token(rng, 7, "0123456789abcdef")
    return f"{rng.choice(REGISTRIES)}/{team}/{app}:{tag}"


def env_value(rng: random.Random, name: str, team: str, app: str) -> str:
    if name.endswith("_PORT"):
        return str(rng.choice((8080, 8081, 9090, 9102, 50051, 5432, 6379)))
    if name in ("LOG_LEVEL",):
        return rng.choice(("debug", "info", "warn", "error"))
    if name.endswith(("_ENABLED",)) or name == "PYTHONUNBUFFERED":
        return rng.choice(("true", "false", "1"))
    if name.endswith(("_MS", "_SECONDS", "_SIZE", "_LIMIT", "_CONCURRENCY", "CONNECTIONS")):
        return str(rng.choice((1, 2, 4, 8, 16, 30, 60, 100, 250, 1000, 5000)))
    if name.endswith(("_URL", "_ENDPOINT", "_HOST", "_BROKERS")):
        return f"{word(rng)}-{rng.randint(1, 9)}.{team}.svc.cluster.local:{rng.randint(1000, 9999)}"
    if name == "JAVA_OPTS":
        return f"-Xms{rng.choice((256, 512))}m -Xmx{rng.choice((512, 1024, 2048))}m -XX:+UseG1GC"
    return f"{app}-{word(rng)}"


def secret_value(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.6:
        return token(rng, rng.choice((16, 24, 32, 40)), string.ascii_letters + string.digits)
    if kind < 0.85:
        user = token(rng, 8)
        return f"postgres://{user}:{token(rng, 20)}@db-{rng.randint(1, 9)}.internal:5432/{user}"
    return pem(rng, "PRIVATE KEY", rng.randint(8, 26))


def pem(rng: random.Random, label: str, lines: int) -> str:
    body = "\n".join(token(rng, 64, _B64) for _ in range(lines))
    return f"-----BEGIN {label}-----\n{body}\n{token(rng, 28, _B64)}==\n-----END {label}-----\n"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _numbers(rng: random.Random, low: int, high: int, k: int) -> list[int]:
    """`k` integers in [low, high], drawn in one go (generators draw many)."""
    span = high - low + 1
    return [low + int(x * span) for x in (rng.random() for _ in range(k))]


def properties(rng: random.Random, app: str, entries: int) -> str:
    words = rng.choices(_WORDS, k=3 * entries)
    suffixes = rng.choices(("timeout", "size", "enabled", "url", "mode"), k=entries)
    numbers = _numbers(rng, 1, 5000, entries)
    kinds = rng.choices((0, 1, 2), k=entries)
    lines = [f"# {app} settings", f"app.name={app}"]
    for i in range(entries):
        value = (str(numbers[i]), words[3 * i + 2], "true")[kinds[i]]
        lines.append(f"{words[3 * i]}.{words[3 * i + 1]}.{suffixes[i]}{i}={value}")
    if entries > 3:
        lines.append(f"callback.url=https://{app}.example.com/hook?source=k8s&retry=3")
    return "\n".join(lines) + "\n"


def yaml_config(rng: random.Random, app: str, sections: int) -> str:
    out = [f"# {app} configuration", "server:", f"  port: {rng.choice((8080, 9000))}"]
    for _ in range(sections):
        n = rng.randint(2, 8)
        words = rng.choices(_WORDS, k=n + 2)
        out.append(f"{words[0]}:")
        out.extend(
            f"  {w}_{token(rng, 3)}: {v}" for w, v in zip(words[2:], _numbers(rng, 0, 10000, n))
        )
        out.append(f"  endpoints:\n    - https://{words[1]}.example.com/v{rng.randint(1, 3)}")
    return "\n".join(out) + "\n"


def json_config(rng: random.Random, entries: int) -> str:
    flags = rng.choices((True, False), k=entries)
    doc = {
        "version": rng.randint(1, 5),
        "features": {
            f"{w}_{i}": f for i, (w, f) in enumerate(zip(rng.choices(_WORDS, k=entries), flags))
        },
        "limits": {word(rng): rng.randint(1, 1000) for _ in range(4)},
    }
    return indented(doc, 2) + "\n"


def nginx_conf(rng: random.Random, app: str, locations: int) -> str:
    out = [
        "server {",
        f"    listen {rng.choice((80, 8080))};",
        f"    server_name {app}.example.com;",
    ]
    words = rng.choices(_WORDS, k=2 * locations)
    ports = _numbers(rng, 1000, 9999, locations)
    timeouts = _numbers(rng, 5, 120, locations)
    for i in range(locations):
        out += [
            f"    location /{words[2 * i]}/{token(rng, 4)} {{",
            f"        proxy_pass http://{words[2 * i + 1]}:{ports[i]};",
            f"        proxy_read_timeout {timeouts[i]}s;",
            "    }",
        ]
    out.append("}")
    return "\n".join(out) + "\n"


def dashboard(rng: random.Random, app: str, target_bytes: int) -> str:
    """A Grafana-like dashboard: the large files of a GitOps repository."""
    count = max(1, target_bytes // 560)
    words = rng.choices(_WORDS, k=2 * count)
    codes = rng.choices(("2..", "5..", "4.."), k=count)
    windows = rng.choices(("1m", "5m", "15m"), k=count)
    by = rng.choices(("pod", "route", "method"), k=count)
    types = rng.choices(("timeseries", "stat", "table", "heatmap"), k=count)
    units = rng.choices(("reqps", "s", "bytes", "percent"), k=count)
    panels = [
        {
            "id": i,
            "title": f"{words[2 * i].title()} {words[2 * i + 1]} {i}",
            "type": types[i],
            "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i // 2) * 8},
            "targets": [
                {
                    "expr": f'sum(rate(http_requests_total{{app="{app}",code=~"{codes[i]}"}}'
                    f"[{windows[i]}])) by ({by[i]}) > 0 && on() vector(1)",
                    "refId": "A",
                    "legendFormat": "{{pod}}",
                }
            ],
            "fieldConfig": {"defaults": {"unit": units[i]}},
        }
        for i in range(count)
    ]
    return indented({"title": app, "uid": token(rng, 9), "panels": panels}, 2) + "\n"


def rules(rng: random.Random, app: str, count: int) -> str:
    out = ["groups:", f"  - name: {app}.rules", "    rules:"]
    name = app.title().replace("-", "")
    words = rng.choices(_WORDS, k=count)
    thresholds = _numbers(rng, 1, 50, count)
    durations = rng.choices(("5m", "10m", "15m"), k=count)
    severities = rng.choices(("warning", "critical"), k=count)
    for i in range(count):
        out += [
            f"      - alert: {name}{words[i].title()}{i}",
            f'        expr: rate(errors_total{{app="{app}"}}[5m]) > {thresholds[i] / 100}',
            f"        for: {durations[i]}",
            "        labels:",
            f"          severity: {severities[i]}",
        ]
    return "\n".join(out) + "\n"


def description(rng: random.Random, app: str, team: str) -> str:
    text = f"{app} {word(rng)} service for {team}"
    if rng.random() < 0.3:
        text += rng.choice(
            (" — owned by Zoë", " (Zahlungsverkehr für Händler)", " · EU only", " ✓ SLO 99.9%")
        )
    return text


def messages(rng: random.Random, app: str, entries: int) -> str:
    """A localized messages file: text beyond ASCII."""
    greetings = (
        "Bienvenue à bord",
        "Grüß Gott",
        "¡Hola, señor!",
        "Добро пожаловать",
        "ようこそ",
        "Witaj świecie",
        "Καλώς ήρθατε",
        "Welcome 👋",
    )
    lines = [f"# {app} messages"]
    for i in range(entries):
        lines.append(f"message.{word(rng)}.{i}={rng.choice(greetings)}")
    return "\n".join(lines) + "\n"


def config_file(rng: random.Random, app: str, target_bytes: int) -> tuple[str, str]:
    """(file name, content) of roughly `target_bytes`; now and then without a final
    newline or with a blank line at the end (literal block chomping in Git)."""
    name, text = _config_file(rng, app, target_bytes)
    r = rng.random()
    if r < 0.1:
        text = text.rstrip("\n")
    elif r < 0.15:
        text += "\n"
    return name, text


def _config_file(rng: random.Random, app: str, target_bytes: int) -> tuple[str, str]:
    if target_bytes > 12_000:
        return ("dashboard.json", dashboard(rng, app, target_bytes))
    if rng.random() < 0.08:
        return ("messages.properties", messages(rng, app, max(1, target_bytes // 40)))
    kind = rng.randrange(5)
    if kind == 0:
        return ("application.properties", properties(rng, app, max(1, target_bytes // 34)))
    if kind == 1:
        return ("config.yaml", yaml_config(rng, app, max(1, target_bytes // 150)))
    if kind == 2:
        return ("settings.json", json_config(rng, max(1, target_bytes // 22)))
    if kind == 3:
        return ("nginx.conf", nginx_conf(rng, app, max(1, target_bytes // 120)))
    return ("alerts.yaml", rules(rng, app, max(1, target_bytes // 190)))
