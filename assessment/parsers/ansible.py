"""Ansible playbooks: a YAML list of plays with `hosts:` and `tasks:`/`roles:`, recognised by content. Pure.

Facts: `iac.present` (true) and `iac.kind` = `ansible`, `ansible.plays`, `ansible.tasks` (tasks, pre_tasks,
post_tasks and handlers, counting the tasks inside `block`/`rescue`/`always`), `ansible.roles`,
`ansible.hosts` (the plays' host patterns) and `ansible.unresolved_includes`: task files, role tasks and
playbooks the file imports or includes, which are not read here. Jinja (`{{ ... }}`) in values is text.
"""

import re
from typing import Any

from assessment.parsers.base import Fact, ParseError, ParseResult, Source
from assessment.parsers.text import decode_head
from assessment.parsers.yaml_safety import load_yaml_documents

_PLAY_START = re.compile(r"^-[ \t]++(?:hosts|name|import_playbook|ansible\.builtin\.import_playbook)[ \t]*+:", re.M)
_HOSTS = re.compile(r"^(?:-[ \t]++|[ \t]++)hosts[ \t]*+:", re.MULTILINE)
_PLAY_BODY = re.compile(r"^[ \t]++(?:-[ \t]++)?(?:tasks|roles|pre_tasks|post_tasks|handlers)[ \t]*+:", re.M)
_TASK_LISTS = ("pre_tasks", "tasks", "post_tasks", "handlers")
_INCLUDES = ("import_tasks", "include_tasks", "import_role", "include_role", "import_playbook", "include")
_MAX_LISTED = 1000


def recognises(head: bytes) -> bool:
    """A YAML list whose items are plays: `hosts:` with `tasks:`, `roles:`, `pre_tasks:` or `handlers:`."""
    text = decode_head(head)
    if text is None:
        return False
    return bool(_PLAY_START.search(text) and _HOSTS.search(text) and _PLAY_BODY.search(text))


def parse(source: Source) -> ParseResult:
    """Facts from a playbook; ParseError when it is not one."""
    documents = [document for document in load_yaml_documents(source, what="Ansible playbook") if document]
    if len(documents) != 1 or not isinstance(documents[0], list):
        raise ParseError("Not an Ansible playbook: it should be one YAML list of plays.")
    plays = [play for play in documents[0] if isinstance(play, dict)]
    if not any("hosts" in play for play in plays):
        raise ParseError("Not an Ansible playbook: no play names its `hosts`.")
    counter = _TaskCounter(source)
    hosts, roles = [], 0
    for play in plays:
        counter.note_includes(play)
        if isinstance(play.get("hosts"), str | list):
            hosts += play["hosts"] if isinstance(play["hosts"], list) else [play["hosts"]]
        play_roles = play.get("roles") if isinstance(play.get("roles"), list) else []
        roles += len(play_roles)
        for key in _TASK_LISTS:
            counter.count(play.get(key), 0)
    facts: dict[str, Fact] = {
        "iac.present": True,
        "iac.kind": "ansible",
        "ansible.plays": sum("hosts" in play for play in plays),
        "ansible.tasks": counter.tasks,
        "ansible.roles": roles,
        "ansible.hosts": ", ".join(dict.fromkeys(str(host)[:100] for host in hosts))[:_MAX_LISTED],
        "ansible.unresolved_includes": ", ".join(dict.fromkeys(counter.includes))[:_MAX_LISTED],
    }
    summary = f"Ansible: {facts['ansible.plays']} play(s), {counter.tasks} task(s), {roles} role(s)"
    return ParseResult(kind="ansible", facts=facts, summary=summary)


class _TaskCounter:
    """Counts tasks through blocks, and notes the files they import or include."""

    def __init__(self, source: Source):
        self.deadline = source.deadline
        self.tasks = 0
        self.includes: list[str] = []

    def count(self, tasks: Any, depth: int) -> None:
        if not isinstance(tasks, list) or depth > 20:
            return
        for task in tasks:
            if not isinstance(task, dict):
                continue
            self.deadline.check()
            if any(key in task for key in ("block", "rescue", "always")):
                for key in ("block", "rescue", "always"):
                    self.count(task.get(key), depth + 1)
                continue
            self.tasks += 1
            self.note_includes(task)

    def note_includes(self, item: dict) -> None:
        for key, value in item.items():
            short = str(key).removeprefix("ansible.builtin.")
            if short in _INCLUDES:
                name = value.get("file") or value.get("name") if isinstance(value, dict) else value
                if isinstance(name, str) and "{{" not in name:  # a Jinja name is only known when run
                    self.includes.append(name[:200])
