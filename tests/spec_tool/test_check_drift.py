"""tools/spec.py: check's drift warnings, where the repository's manifests and the Technology Stack disagree.

The baked project's stack is the default one: Python, FastAPI, PostgreSQL, Redis (cache), Docker."""

from __future__ import annotations

import json
import re
import time

from tests.spec_tool.conftest import Repo, line_of

NO_SPECS = re.escape("No specs yet.")

NOT_NAMED = "which the Technology Stack in architecture.md does not name"


def drift(repo: Repo) -> list[str]:
    """What check prints before its summary, having passed: the drift warnings."""
    result = repo.spec("check")
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout.endswith("check passed\n"), result.stdout
    summary = re.search(rf"^(?:{NO_SPECS}|\d+ specs?: .*)$", result.stdout, re.MULTILINE)
    assert summary is not None, result.stdout
    return result.stdout[: summary.start()].splitlines()


def stack_line(repo: Repo, name: str) -> int:
    """The line of architecture.md's Technology Stack that names name."""
    text = repo.read("architecture.md")
    return text[: text.index(f"- {name}", text.index("### Technology Stack"))].count("\n") + 1


def named_but_unseen(repo: Repo, name: str, *read: str) -> str:
    return (
        f"architecture.md:{stack_line(repo, name)}: warning: the Technology Stack names {name}, "
        f"but no manifest shows it (read: {', '.join(read)})"
    )


def restack(repo: Repo, *replacements: tuple[str, str]) -> None:
    """Rewrite lines of the Technology Stack, as a team describing its own service would."""
    text = repo.read("architecture.md")
    start = text.index("### Technology Stack")
    end = text.index("## Core Architectural Principles")
    stack = text[start:end]
    for old, new in replacements:
        assert old in stack, old
        stack = stack.replace(old, new, 1)
    repo.write("architecture.md", text[:start] + stack + text[end:])


def write_files(repo: Repo, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (repo.path / relative).parent.mkdir(parents=True, exist_ok=True)
        repo.write(relative, text)


GO_MOD = """\
module github.com/acme/orderservice

go 1.22

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgithub.com/jackc/pgx/v5 v5.5.4
\tgithub.com/segmentio/kafka-go v0.4.47
\tgolang.org/x/sync v0.6.0
)

require (
\tgithub.com/bytedance/sonic v1.11.2 // indirect
\tgithub.com/redis/go-redis/v9 v9.5.1 // indirect
)
"""

COMPOSE = """\
services:
  orders:
    build: .
    ports:
      - "8080:8080"
    depends_on: [db, cache, events]
  db:
    image: postgres:16-alpine
  cache:
    image: "docker.io/library/redis:7"
  events:
    image: nats:2.10 # JetStream for the order events
"""

DOCKERFILE = "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build ./...\n\nFROM gcr.io/distroless/static\n"

# What a dependency folder or a test fixture holds is not what the service uses.
IGNORED = {
    "vendor/github.com/acme/mongo/go.mod": "module x\n\nrequire go.mongodb.org/mongo-driver v1.14.0\n",
    "node_modules/mysql2/package.json": json.dumps({"name": "mysql2", "dependencies": {"mysql2": "3"}}),
    ".venv/lib/site-packages/flask/requirements.txt": "flask\n",
    "third_party/memcached/Dockerfile": "FROM memcached:1.6\n",
    "internal/parser/testdata/go.mod": "module y\n\nrequire github.com/nats-io/nats.go v1.33.1\n",
    ".github/compose.yaml": "services:\n  q:\n    image: rabbitmq:3\n",
    "specs/features/examples/package.json": json.dumps({"dependencies": {"kafkajs": "2"}}),  # the specs' own
}


def test_a_go_service_warns_about_drift_both_ways_and_passes(repo):
    restack(repo, ("- Python", "- Go"), ("- FastAPI", "- Gin"), ("- Docker", "- Docker\n- Kubernetes"))
    write_files(repo, {"go.mod": GO_MOD, "docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE, **IGNORED})
    assert drift(repo) == [
        f"docker-compose.yml:12: warning: uses NATS (nats), {NOT_NAMED}",
        f"go.mod:8: warning: uses Kafka (github.com/segmentio/kafka-go), {NOT_NAMED}",
        named_but_unseen(repo, "Kubernetes", "Dockerfile", "docker-compose.yml"),
    ]


def test_a_stack_that_matches_the_manifests_gets_no_warning(repo):
    restack(repo, ("- FastAPI", "- Gin"), ("- Redis (cache)", "- Redis (cache)\n- Kafka\n- NATS"))
    write_files(repo, {"go.mod": GO_MOD, "docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE})
    assert drift(repo) == []


def test_only_manifests_of_a_technology_s_kind_can_miss_it(repo):
    """FastAPI shows only in Python manifests and Docker only in container files: a Go module with
    no dependencies misses the databases, nothing else."""
    write_files(repo, {"go.mod": "module github.com/acme/tool\n\ngo 1.22\n"})
    assert drift(repo) == [
        named_but_unseen(repo, "PostgreSQL", "go.mod"),
        named_but_unseen(repo, "Redis", "go.mod"),
    ]


def test_a_node_service_reads_what_package_json_needs_to_run(repo):
    restack(repo, ("- Python", "- TypeScript"), ("- FastAPI", "- Express"))
    package = {
        "name": "orders-web",
        "scripts": {"start": "node dist/main.js"},
        "dependencies": {"fastify": "^4.26.0", "pg": "^8.11.3", "ioredis": "^5.3.2", "mongoose": "^8.2.0"},
        "devDependencies": {"kafkajs": "^2.2.4", "express": "^4.18.0"},
    }
    text = json.dumps(package, indent=2) + "\n"
    write_files(repo, {"web/package.json": text, "web/Dockerfile": "FROM node:20-slim\n"})
    assert drift(repo) == [
        f"web/package.json:{line_of(text, 'fastify')}: warning: uses Fastify (fastify), {NOT_NAMED}",
        f"web/package.json:{line_of(text, 'mongoose')}: warning: uses MongoDB (mongoose), {NOT_NAMED}",
        named_but_unseen(repo, "Express", "web/package.json"),
    ]


PYPROJECT = """\
[project]
name = "orders"
requires-python = ">=3.11"
dependencies = [
    "fastapi>=0.110",
    "psycopg[binary]>=3.1",  # PostgreSQL
    'celery[redis]',
]

[project.optional-dependencies]
events = ["aiokafka>=0.10"]

[tool.ruff]
line-length = 100
"""


def test_a_python_service_reads_pyproject_and_every_requirements_file(repo):
    requirements = "# the legacy admin\n-r requirements-base.txt\nFlask==3.0.2  # until it moves\n"
    write_files(repo, {
        "pyproject.toml": PYPROJECT,
        "admin/requirements.txt": requirements,
        "admin/requirements-base.txt": "--index-url https://pypi.org/simple\ngunicorn\n"
        "git+https://github.com/acme/pika@v1#egg=pika\npymemcache @ https://files.example.com/pymemcache-4.0.tar.gz\n",
    })
    assert drift(repo) == [
        f"admin/requirements-base.txt:4: warning: uses Memcached (pymemcache), {NOT_NAMED}",  # a direct reference
        f"admin/requirements.txt:3: warning: uses Flask (flask), {NOT_NAMED}",
        f"pyproject.toml:11: warning: uses Kafka (aiokafka), {NOT_NAMED}",
        named_but_unseen(
            repo, "Redis", "admin/requirements-base.txt", "admin/requirements.txt", "pyproject.toml"
        ),
    ]  # a bare URL names nothing: pika would be RabbitMQ


def test_poetry_dependencies_count_and_python_itself_does_not(repo):
    write_files(repo, {
        "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nDjango = "^5.0"\nredis = {version = "^5"}\n'
        'fastapi = "*"\nasyncpg = "*"\n\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n',
    })
    assert drift(repo) == [f"pyproject.toml:3: warning: uses Django (django), {NOT_NAMED}"]


def test_kubernetes_manifests_and_helm_charts_show_images_and_kubernetes(repo):
    restack(repo, ("- Docker", "- Kubernetes"))
    write_files(repo, {
        "deploy/k8s/orders.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: orders\n          image: ghcr.io/acme/orders:1.4\n"
        "        - name: sidecar\n          image: memcached:1.6\n",
        "deploy/ansible/site.yml": "- hosts: all\n  tasks:\n    - name: install\n      image: rabbitmq\n",
        "charts/orders/Chart.yaml": "apiVersion: v2\nname: redis\nversion: 1.0.0\ndependencies:\n"
        "  - name: postgresql\n    version: 15.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
        "maintainers:\n  - name: kafka\n",
        "charts/orders/values.yaml": "image:\n  repository: bitnami/redis\n  tag: 7.2\n",
    })
    assert drift(repo) == [f"deploy/k8s/orders.yaml:10: warning: uses Memcached (memcached), {NOT_NAMED}"]


def test_placeholders_in_the_stack_name_nothing(repo):
    restack(repo, ("- Docker", "- [e.g., Docker, Kubernetes, AWS]"))
    write_files(repo, {"Dockerfile": "# the API server\nFROM python:3.12-slim\n"})
    assert drift(repo) == [f"Dockerfile:2: warning: uses Docker, {NOT_NAMED}"]


def test_a_package_json_that_is_no_json_is_named_not_skipped(repo):
    write_files(repo, {"package.json": '{\n  "dependencies": {\n    "express": "4",\n  }\n}\n'})
    assert drift(repo) == [
        "package.json:4: warning: is not valid JSON (Expecting property name enclosed in double quotes), "
        "so its dependencies are unknown"
    ]


def test_strict_makes_drift_fail(repo):
    write_files(repo, {"requirements.txt": "fastapi\nredis\npsycopg\nflask\n"})
    result = repo.spec("check", "--strict")
    assert result.returncode == 1
    assert f"requirements.txt:4: warning: uses Flask (flask), {NOT_NAMED}\n" in result.stdout
    assert result.stdout.endswith("errors\n") and "check failed" in result.stdout


def test_manifests_only_in_ignored_folders_leave_check_as_on_a_fresh_project(repo):
    fresh = repo.spec("check").stdout
    write_files(repo, IGNORED)
    assert repo.spec("check").stdout == fresh


def test_hostile_manifests_are_read_in_linear_time(repo):
    size = 50_000
    write_files(repo, {
        "go.mod": "require " + " " * size + "x\nrequire (\n" + "\t" * size + "(\n)\n",
        "pyproject.toml": "[" + " " * size + "\n[project]\ndependencies = [" + '"a' * size + "\n",
        "build.gradle": "id" + " " * size + "x\n" + "'a:" * size + "\n",
        "App.csproj": "<PackageReference" * size + "\n<Project" + " x" * size + "\n",
        "compose.yaml": "image:" + " " * size + "\n- " * size + "\n",
        "Dockerfile": "FROM " + "--x " * size + "\n",
        "Cargo.toml": "[dependencies]\n" + "a" * size + " " * size + "\n",
        "pom.xml": "<artifactId>" * size + "\n",
    })
    start = time.perf_counter()
    repo.spec("check")
    assert time.perf_counter() - start < 2, "a manifest pattern backtracks"


def test_java_rust_and_dotnet_manifests_show_their_frameworks_and_drivers(repo):
    write_files(repo, {
        "billing/pom.xml": "<project>\n  <artifactId>billing</artifactId>\n  <dependencies>\n    <dependency>\n"
        "      <groupId>org.springframework.boot</groupId>\n"
        "      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n    <dependency>\n"
        "      <groupId>org.postgresql</groupId>\n      <artifactId>postgresql</artifactId>\n"
        "    </dependency>\n  </dependencies>\n</project>\n",
        "ledger/build.gradle.kts": 'plugins {\n    id("io.quarkus")\n}\ndependencies {\n'
        '    implementation("io.quarkus:quarkus-rest")\n    implementation("redis.clients:jedis:5.1.0")\n}\n',
        "pricing/Cargo.toml": '[package]\nname = "pricing"\n\n[dependencies]\naxum = "0.7"\n'
        'tokio = { version = "1", features = ["full"] }\n\n[dependencies.redis]\nversion = "0.25"\n\n'
        '[dev-dependencies]\nrdkafka = "0.36"\n',
        "gateway/Gateway.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n'
        '    <PackageReference Include="Npgsql" Version="8.0.2" />\n'
        '    <PackageReference Include="RabbitMQ.Client" Version="6.8.1" />\n  </ItemGroup>\n</Project>\n',
    })
    assert drift(repo) == [
        f"billing/pom.xml:6: warning: uses Spring Boot (spring-boot-starter-web), {NOT_NAMED}",
        f"gateway/Gateway.csproj:1: warning: uses ASP.NET Core (microsoft.net.sdk.web), {NOT_NAMED}",
        f"gateway/Gateway.csproj:4: warning: uses RabbitMQ (rabbitmq.client), {NOT_NAMED}",
        f"ledger/build.gradle.kts:2: warning: uses Quarkus (io.quarkus), {NOT_NAMED}",
        f"pricing/Cargo.toml:5: warning: uses Axum (axum), {NOT_NAMED}",
    ]
