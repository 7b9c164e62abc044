"""tools/spec.py: import-adrs, with records as adr-tools, MADR 2, 3 and 4 and log4brains write them."""

from __future__ import annotations

import time

import pytest

from tests.spec_tool.conftest import BAKED_ON, TODAY, Repo, line_of, ready
from tests.test_ecosystem import markdownlint_cli2

# adr-tools: "adr init", then "adr new Store orders in MySQL", then "adr new -s 2 Move orders to PostgreSQL",
# which rewrote the Status of record 2 (adr-tools spells it "Superceded").
ADR_TOOLS = {
    "0001-record-architecture-decisions.md": """\
# 1. Record architecture decisions

Date: 2019-04-12

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as [described by Michael Nygard](http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).

## Consequences

See Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's [adr-tools](https://github.com/npryce/adr-tools).
""",
    "0002-store-orders-in-mysql.md": """\
# 2. Store orders in MySQL

Date: 2019-05-03

## Status

Superceded by [3. Move orders to PostgreSQL](0003-move-orders-to-postgresql.md)

## Context

Orders need a transactional store, and operations runs MySQL 5.7 for the other services.

## Decision

Store orders in MySQL.

## Consequences

* Operations already knows MySQL.
* JSON columns cannot be indexed.
""",
    "0003-move-orders-to-postgresql.md": """\
# 3. Move orders to PostgreSQL

Date: 2022-09-19

## Status

Accepted

Supercedes [2. Store orders in MySQL](0002-store-orders-in-mysql.md)

## Context

Order lines moved into JSON documents, which MySQL 5.7 cannot index.

### Measurements

Reading an order's lines takes 900 ms at the 95th percentile.
Writes are fine.

## Decision

Move orders to PostgreSQL 14 and index the order lines with GIN:

```
CREATE INDEX order_lines_gin ON orders USING gin (lines);
```

## Consequences

The migration takes a weekend; see [the runbook](../runbooks/migrate.md) and the [context](#context).
""",
}

# MADR 4 (front matter; the successor named by number), MADR 3 (front matter with a link), MADR 2 and
# log4brains (status bullets, Positive and Negative Consequences), with the files MADR and log4brains keep
# beside the records.
MADR = {
    "0001-publish-order-events-on-kafka.md": """\
---
status: "superseded by ADR-0002"
date: 2023-02-01
decision-makers: Platform Team
---

# Publish order events on Kafka

## Context and Problem Statement

Other services poll the orders table for changes. How should they learn about new orders?

<!-- This is an optional element. Feel free to remove. -->
## Decision Drivers

* Consumers must be able to replay events

## Considered Options

* Kafka
* RabbitMQ
* Polling

## Decision Outcome

Chosen option: "Kafka", because the platform team already runs it.

<!-- This is an optional element. Feel free to remove. -->
### Consequences

* Good, because consumers can replay events.
* Bad, because the event schemas need a registry.

### Confirmation

A contract test checks every event against its schema.

## Pros and Cons of the Options

### Kafka

* Good, because replay
""",
    "0002-publish-order-events-on-nats.md": """\
---
status: accepted
date: 2024-06-10
deciders: Platform Team
---
# Publish order events on NATS

## Context and Problem Statement

Kafka costs more to run than the order events are worth.

## Considered Options

* NATS JetStream
* Kafka

## Decision Outcome

Chosen option: "NATS JetStream", because it is one binary.

### Consequences

* Good, because it is cheap to run.
""",
    "0003-cache-sessions.md": """\
# Cache sessions in Redis

* Status: proposed
* Deciders: Platform Team
* Date: 2024-07-01

Technical Story: ORD-123 <!-- optional -->

## Context and Problem Statement

Sessions live in each server's memory.

## Decision Outcome

Chosen option: "Redis", because it keeps sessions across deploys.

### Positive Consequences <!-- optional -->

* Deploys keep sessions.

### Negative Consequences <!-- optional -->

* One more service to run.
""",
    "20240801-price-in-cents.md": """\
# Keep prices in cents

- Status: superseded by [20240902-price-with-currency](20240902-price-with-currency.md)
- Date: 2024-08-01

## Context and Problem Statement

Floating point prices round wrongly.

## Decision

Keep every price as an integer number of cents.
""",
    "20240902-price-with-currency.md": """\
# Keep prices with their currency

- Status: accepted
- Date: 2024-09-02

## Context and Problem Statement

Orders now come from Switzerland too.

## Decision

Keep every price as an integer of minor units with its ISO 4217 currency.

## Links

- Supersedes [20240801-price-in-cents](20240801-price-in-cents.md)
""",
    "README.md": "# Decisions\n\nPublished by log4brains.\n",
    "index.md": "# Architecture Decision Records\n",
    "adr-template.md": "---\nstatus: {proposed}\n---\n\n# {short title}\n",
    "template.md": "# [short title of solved problem and solution]\n",
}


def write_records(repo: Repo, folder: str, records: dict[str, str]) -> None:
    (repo.path / folder).mkdir(parents=True, exist_ok=True)
    for name, text in records.items():
        repo.write(f"{folder}/{name}", text)


@pytest.fixture
def service(repo) -> Repo:
    """An existing service's repository with its adr-tools records and a runbook they link to."""
    write_records(repo, "doc/adr", ADR_TOOLS)
    write_records(repo, "doc/runbooks", {"migrate.md": "# Migrate orders\n"})
    return repo


def decisions_section(architecture: str) -> str:
    start = architecture.index("## Key Architectural Decisions")
    return architecture[start : architecture.index("## Constraints and Non-Negotiables")]


def decision_block(architecture: str, number: int) -> str:
    """Decision number from its heading to its closing --- line."""
    start = architecture.index(f"### Decision {number}:")
    return architecture[start : architecture.index("\n---\n", start) + 5]


def test_adr_tools_records_become_decisions_numbered_on_with_the_supersede_chain(service):
    before = service.read("architecture.md")
    output = service.ok("import-adrs", "doc/adr", "--date", "2026-03-05")
    assert output == (
        "architecture.md: Decisions 2 to 4 added to Key Architectural Decisions from doc/adr\n"
        "architecture.md: Implementation History entry added\n"
    )
    architecture = service.read("architecture.md")
    assert decision_block(architecture, 3) == (
        "### Decision 3: Store orders in MySQL\n\n"
        "**Date**: 2019-05-03\n\n"
        "**Status**: Superseded by [Decision 4](#decision-4-move-orders-to-postgresql)\n\n"
        "**Context**: Orders need a transactional store, and operations runs MySQL 5.7 for the other services.\n\n"
        "**Decision**: Store orders in MySQL.\n\n"
        "**Consequences**:\n\n- Operations already knows MySQL.\n- JSON columns cannot be indexed.\n\n"
        "**Reference**: [doc/adr/0002-store-orders-in-mysql.md](doc/adr/0002-store-orders-in-mysql.md)\n\n"
        "---\n"
    )
    assert decision_block(architecture, 4) == (
        "### Decision 4: Move orders to PostgreSQL\n\n"
        "**Date**: 2022-09-19\n\n"
        "**Context**: Order lines moved into JSON documents, which MySQL 5.7 cannot index.\n\n"
        "**Measurements:**\n\n"
        "Reading an order's lines takes 900 ms at the 95th percentile.\nWrites are fine.\n\n"
        "**Decision**: Move orders to PostgreSQL 14 and index the order lines with GIN:\n\n"
        "```text\nCREATE INDEX order_lines_gin ON orders USING gin (lines);\n```\n\n"
        "**Consequences**: The migration takes a weekend; see [the runbook](doc/runbooks/migrate.md) and the "
        "[context](doc/adr/0003-move-orders-to-postgresql.md#context).\n\n"
        "**Reference**: [doc/adr/0003-move-orders-to-postgresql.md](doc/adr/0003-move-orders-to-postgresql.md)\n\n"
        "---\n"
    )
    assert "**Status**" not in decision_block(architecture, 2)  # Accepted goes without saying
    assert decisions_section(architecture).index("### Decision 1:") < decisions_section(architecture).index(
        "### Decision 2: Record architecture decisions\n"
    )
    history = (
        "- **2026-03-05**: Imported 3 architecture decision records from [doc/adr](doc/adr) as Decisions 2 to 4\n"
        "  - Spec: Direct update\n"
        f"- **{BAKED_ON}**: Created this living architecture document"
    )
    assert history in architecture
    assert "**Last Updated**: 2026-03-05\n" in architecture
    # Nothing else moved: the document is the old one with the decisions and the entry inserted.
    assert architecture.replace(decisions_section(architecture), "") == (
        before.replace(decisions_section(before), "")
        .replace(f"**Last Updated**: {BAKED_ON}\n", "**Last Updated**: 2026-03-05\n", 1)
        .replace(f"- **{BAKED_ON}**: Created this living architecture document", history, 1)
    )
    assert service.spec("check").returncode == 0


def test_madr_and_log4brains_records_import_with_their_statuses_and_consequences(repo):
    write_records(repo, "docs/decisions", MADR)
    output = repo.ok("import-adrs", "docs/decisions", "--date", "2026-03-05")
    assert output.splitlines()[0] == (
        "architecture.md: Decisions 2 to 6 added to Key Architectural Decisions from docs/decisions"
    )
    architecture = repo.read("architecture.md")
    assert decision_block(architecture, 2) == (
        "### Decision 2: Publish order events on Kafka\n\n"
        "**Date**: 2023-02-01\n\n"
        "**Status**: Superseded by [Decision 3](#decision-3-publish-order-events-on-nats)\n\n"
        "**Context**: Other services poll the orders table for changes. How should they learn about new "
        "orders?\n\n"
        '**Decision**: Chosen option: "Kafka", because the platform team already runs it.\n\n'
        "**Confirmation:**\n\nA contract test checks every event against its schema.\n\n"
        "**Consequences**:\n\n- Good, because consumers can replay events.\n"
        "- Bad, because the event schemas need a registry.\n\n"
        "**Reference**: [docs/decisions/0001-publish-order-events-on-kafka.md]"
        "(docs/decisions/0001-publish-order-events-on-kafka.md)\n\n"
        "---\n"
    )
    assert decision_block(architecture, 4) == (
        "### Decision 4: Cache sessions in Redis\n\n"
        "**Date**: 2024-07-01\n\n"
        "**Status**: Proposed\n\n"
        "**Context**: Sessions live in each server's memory.\n\n"
        '**Decision**: Chosen option: "Redis", because it keeps sessions across deploys.\n\n'
        "**Consequences**:\n\n**Positive Consequences:**\n\n- Deploys keep sessions.\n\n"
        "**Negative Consequences:**\n\n- One more service to run.\n\n"
        "**Reference**: [docs/decisions/0003-cache-sessions.md](docs/decisions/0003-cache-sessions.md)\n\n"
        "---\n"
    )
    assert "**Status**" not in decision_block(architecture, 3)
    log4brains = decision_block(architecture, 5)
    assert "**Status**: Superseded by [Decision 6](#decision-6-keep-prices-with-their-currency)\n" in log4brains
    assert "**Consequences**: Not stated in the record.\n" in log4brains
    assert "### Decision 7" not in architecture  # README.md, index.md and the templates are no records
    assert "Imported 5 architecture decision records from [docs/decisions](docs/decisions) as Decisions 2 to 6\n" in (
        architecture
    )
    assert repo.spec("check").returncode == 0


def test_a_second_import_changes_nothing(service):
    service.ok("import-adrs", "doc/adr")
    before = service.snapshot()
    assert service.ok("import-adrs", "doc/adr", "--date", "2026-03-09") == (
        "doc/adr: all 3 records already in architecture.md; nothing to change\n"
    )
    assert service.snapshot() == before


def test_a_new_record_is_numbered_on_and_marks_the_one_it_supersedes(service):
    """adr-tools rewrites the old record's Status when "adr new -s 3" supersedes it: the next import
    adds the new record and marks the decision imported before."""
    service.ok("import-adrs", "doc/adr", "--date", "2026-03-05")
    service.ok("new", "Add an audit log", "--architecture")
    ready(service, "specs/features/architecture-add-an-audit-log.md")
    service.ok("implement", "add-an-audit-log")  # Decision 5, between the two imports
    old = ADR_TOOLS["0003-move-orders-to-postgresql.md"].replace(
        "Accepted\n\nSupercedes", "Superceded by [4. Shard orders](0004-shard-orders.md)\n\nSupercedes"
    )
    service.write("doc/adr/0003-move-orders-to-postgresql.md", old)
    service.write(
        "doc/adr/0004-shard-orders.md",
        "# 4. Shard orders\n\nDate: 2026-03-01\n\n## Status\n\nAccepted\n\n"
        "Supercedes [3. Move orders to PostgreSQL](0003-move-orders-to-postgresql.md)\n\n"
        "## Context\n\nOne database no longer keeps up.\n\n## Decision\n\nShard orders by customer.\n\n"
        "## Consequences\n\nCross-customer reports read every shard.\n",
    )
    output = service.ok("import-adrs", "doc/adr", "--date", TODAY)
    assert output == (
        "architecture.md: Decision 6 added to Key Architectural Decisions from doc/adr\n"
        "architecture.md: Decision 4 marked Superseded by Decision 6\n"
        "architecture.md: Implementation History entry added\n"
    )
    architecture = service.read("architecture.md")
    assert decision_block(architecture, 4).startswith(
        "### Decision 4: Move orders to PostgreSQL\n\n**Date**: 2022-09-19\n\n"
        "**Status**: Superseded by [Decision 6](#decision-6-shard-orders)\n\n**Context**: "
    )
    assert decision_block(architecture, 6).startswith(
        "### Decision 6: Shard orders\n\n**Date**: 2026-03-01\n\n**Context"
    )
    assert (
        f"- **{TODAY}**: Imported 1 architecture decision record from [doc/adr](doc/adr) as Decision 6; "
        "Decision 4 marked Superseded by Decision 6\n  - Spec: Direct update\n"
    ) in architecture
    assert service.ok("import-adrs", "doc/adr").endswith("nothing to change\n")


def test_records_written_on_windows_import_as_meant(repo):
    text = "\ufeff" + ADR_TOOLS["0001-record-architecture-decisions.md"].replace("\n", "\r\n")
    (repo.path / "adr").mkdir()
    (repo.path / "adr" / "0001-record-architecture-decisions.md").write_bytes(text.encode("utf-8"))
    repo.ok("import-adrs", "adr")
    block = decision_block(repo.read("architecture.md"), 2)
    assert block.startswith("### Decision 2: Record architecture decisions\n\n**Date**: 2019-04-12\n\n**Context**: We")
    assert "\r" not in block


# Each: a record as it goes wrong, the fragment of it the error points at, and the message.
BROKEN_RECORDS = {
    "no title": (
        "Date: 2020-01-01\n\n## Decision\n\nUse Go.\n",
        "Date:",
        'no title line "# Title" (adr-tools: "# 1. Title") before the first ## heading',
    ),
    "empty title": ("# 7. \n\nDate: 2020-01-01\n\n## Decision\n\nUse Go.\n", "# 7.", "the title is empty"),
    "no date": (
        "# 7. Use Go\n\n## Decision\n\nUse Go.\n",
        "\n## Decision",
        'no date: add "Date: YYYY-MM-DD" below the title (MADR: "date: YYYY-MM-DD" in the front matter)',
    ),
    "adr-tools' old date": (
        "# 7. Use Go\n\nDate: 12/01/1992\n\n## Decision\n\nUse Go.\n",
        "Date:",
        "date \"12/01/1992\" is not a real date written YYYY-MM-DD; 'adr upgrade-repository' rewrites "
        "adr-tools' old dates",
    ),
    "unreal date": (
        "---\nstatus: accepted\ndate: 2023-02-30\n---\n\n# Use Go\n\n## Decision Outcome\n\nGo.\n",
        "date:",
        'date "2023-02-30" is not a real date written YYYY-MM-DD',
    ),
    "date in the future": (
        "# 7. Use Go\n\n* Date: 2999-01-01\n\n## Decision\n\nUse Go.\n",
        "* Date",
        "date 2999-01-01 is in the future: the date is at most ",
    ),
    "unclosed front matter": (
        "---\nstatus: accepted\n\n# Use Go\n\n## Decision Outcome\n\nGo.\n",
        "---",
        "the front matter that starts here has no closing --- line",
    ),
    "no decision": (
        "# 7. Use Go\n\nDate: 2020-01-01\n\n## Context\n\nWe write services.\n",
        "We write services.",
        'no "## Decision" section (MADR: "## Decision Outcome"): nothing to import',
    ),
    "successor that does not exist": (
        "# 7. Use Go\n\nDate: 2020-01-01\n\n## Status\n\nSuperseded by [9. Use Rust](0009-use-rust.md)\n\n"
        "## Decision\n\nUse Go.\n",
        "Superseded by",
        '"Superseded by" names 0009-use-rust.md, which is no record in doc/adr and no decision in architecture.md',
    ),
}


@pytest.mark.parametrize("problem", BROKEN_RECORDS)
def test_an_unreadable_record_stops_the_import_with_nothing_written(service, problem):
    text, fragment, message = BROKEN_RECORDS[problem]
    service.write("doc/adr/0007-use-go.md", text)
    before = service.snapshot()
    result = service.spec("import-adrs", "doc/adr")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"doc/adr/0007-use-go.md:{line_of(text, fragment)}: {message}"), result.stderr
    assert service.snapshot() == before  # the three good records are not imported either


def test_a_record_that_is_not_utf8_is_named_with_its_line(service):
    (service.path / "doc/adr/0007-use-go.md").write_bytes(b"# 7. Use Go\n\nDate: 2020-01-01\n\nCaf\xe9\n")
    before = service.snapshot()
    result = service.spec("import-adrs", "doc/adr")
    assert (result.returncode, result.stderr) == (
        1,
        "doc/adr/0007-use-go.md:5: is not valid UTF-8 (byte 0xe9); save the file as UTF-8\n",
    )
    assert service.snapshot() == before


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("doc/missing", "error: doc/missing is not a folder; give the folder of the records, such as doc/adr\n"),
        ("doc/runbooks", "error: doc/runbooks has no records: adr-tools and MADR name them NNNN-title.md, "
         "log4brains YYYYMMDD-title.md\n"),
        ("specs/features", "error: specs/features is inside specs/, where specs live; keep the records in a "
         "folder of their own\n"),
        ("..", "error: .. is outside the repository; architecture.md links to each record, so keep them in it\n"),
    ],
)
def test_a_folder_that_holds_no_records_to_import_is_a_usage_error(service, folder, message):
    before = service.snapshot()
    result = service.spec("import-adrs", folder)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)
    assert service.snapshot() == before


def test_records_with_headings_lists_code_and_breaks_keep_architecture_md_lint_clean(service):
    """Whatever Markdown a record holds, the decision stays one entry of the outline and lints clean."""
    write_records(service, "docs/decisions", MADR)
    service.write(
        "doc/adr/0004-awkward-markdown.md",
        "# 4. Awkward Markdown.\n\nDate: 2023-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n"
        "* A list right at the start\n+ with two markers\n  * and a nested item\n\n"
        "Setext heading\n--------------\n\nText under it.\n\n***\n\n#### Deep heading ####\n"
        "Paragraph\n- list without a blank line\n\n<!-- a comment -->\n\n"
        "~~~\nno language\n~~~\nStraight after the fence.\n\n"
        "```go\nfunc main() {\n\tfmt.Println(\"# not a heading\")\n}\n```\n\n"
        "## Decision\n\n### Only a heading\n\nDone, see https://kafka.apache.org/documentation. Ask ops@example.com, "
        "not <https://example.com/kept> or [the guide](https://example.com/guide) or `http://in.code`.\n\n"
        "## Consequences\n\n1. First\n2. Second\n",
    )
    service.ok("import-adrs", "doc/adr")
    service.ok("import-adrs", "docs/decisions")
    architecture = service.read("architecture.md")
    awkward = decision_block(architecture, 5)
    assert awkward.startswith("### Decision 5: Awkward Markdown\n\n")  # no trailing punctuation (MD026)
    assert "**Context**:\n\n- A list right at the start\n- with two markers\n  - and a nested item\n" in awkward
    assert "**Setext heading:**\n\nText under it.\n\n**Deep heading:**\n\nParagraph\n\n- list" in awkward
    assert "```text\nno language\n```\n\nStraight after the fence." in awkward  # one fence style (MD048)
    assert '    fmt.Println("# not a heading")' in awkward  # code kept, tabs expanded (MD010)
    assert "comment" not in awkward and "***" not in awkward
    assert "**Decision**:\n\n**Only a heading:**\n\nDone, see <https://kafka.apache.org/documentation>. Ask " \
        "<ops@example.com>, not <https://example.com/kept> or [the guide](https://example.com/guide) or " \
        "`http://in.code`." in awkward  # no bare URL or address (MD034)
    lint = markdownlint_cli2("architecture.md", cwd=service.path)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert service.spec("check").returncode == 0


def test_a_code_block_a_record_leaves_open_is_closed_inside_its_decision(service):
    service.write(
        "doc/adr/0004-open-fence.md",
        "# 4. Open fence\n\nDate: 2023-01-01\n\n## Decision\n\nRun this:\n\n~~~sh\nmake migrate\n",
    )
    service.ok("import-adrs", "doc/adr")
    block = decision_block(service.read("architecture.md"), 5)
    assert "**Decision**: Run this:\n\n```sh\nmake migrate\n```\n\n**Context**" not in block
    assert "Run this:\n\n```sh\nmake migrate\n```\n\n**Consequences**: Not stated in the record." in block
    assert service.ok("import-adrs", "doc/adr").endswith("nothing to change\n")  # its Reference reads back


def test_hostile_records_import_in_linear_time(repo):
    """Long lines built to make the record patterns backtrack: headings, fields, statuses, front matter."""
    size = 20_000
    lines = [
        "# " + "a " * size + "#" * 3 + " x",
        "Date:" + " " * size + "x",
        "* " + "Status " * size,
        "#" + " " * size + "x",
        "Superseded by " + "[" * size,
        "---" + " -" * size + " x",
    ]
    text = "---\n" + "k:" + " " * size + "\n---\n\n# 1. Hostile\n\nDate: 2020-01-01\n\n## Status\n\n"
    text += "\n\n".join(lines) + "\n\n## Decision\n\n" + "\n\n".join(lines) + "\n"
    write_records(repo, "adr", {"0001-hostile.md": text})
    start = time.perf_counter()
    result = repo.spec("import-adrs", "adr")
    assert time.perf_counter() - start < 2, "a record pattern backtracks"
    assert (result.returncode, result.stderr) == (0, "")


def test_dir_is_taken_from_where_the_command_runs(service):
    service.ok("import-adrs", "adr", cwd=service.path / "doc")
    record = "doc/adr/0001-record-architecture-decisions.md"
    assert f"**Reference**: [{record}]({record})\n" in service.read("architecture.md")
