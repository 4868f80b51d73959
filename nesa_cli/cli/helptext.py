"""Help in the words of the people who use it.

- :func:`plain_types`: no type names in help (``<bool>``, ``<list[int]>``,
  ``<int range> [x>=0]``): a flag shows nothing, an option its metavar (or
  its name in capitals), an argument only its name.
- :data:`PANELS`: the top-level commands grouped by task in ``nesa --help``.
- :data:`EXAMPLES`: one example line for every command, shown at the end of
  its help (tests/test_cli_help.py walks every command and checks).
"""

from __future__ import annotations

PANELS = {
    "Look up": ("status", "schools", "networks", "policies", "people", "membership", "history", "diff", "list", "team",
                "alliance", "templates"),
    "Meetings and documents": ("agenda", "minutes", "pack", "calendar", "contacts", "meetings", "bodies", "registers", "actions", "digest",
                               "engagement"),
    "Working together": ("equity", "broker", "impact", "partnerships", "activities"),
    "Money": ("finance", "invoices"),
    "Edit": ("commit",),
    "Set up": ("init", "import", "validate"),
}
_PANEL_OF = {name: panel for panel, names in PANELS.items() for name in names}

EXAMPLES = {
    "actions add": 'nesa actions add 2027-01-20-network-early-years "Circulate the calendar" --owner rhall --due 2027-02-01',
    "actions done": "nesa actions done 2026-10-14-strategic-board#2",
    "actions list": "nesa actions list --owner mpatel",
    "actions log": "nesa actions log --body strategic-board --open --format pdf -o actions.pdf",
    "registers interests": "nesa registers interests improvement-board --format pdf -o interests.pdf",
    "registers declare": 'nesa registers declare improvement-board "Lesley Pringle" --interest "Director, North East Teaching School Hub" --date 2026-11-20',
    "registers attendance": "nesa registers attendance strategic-board --year 2025-26 --format csv -o attendance.csv",
    "policies schedule": "nesa policies schedule --format pdf -o policy-schedule.pdf",
    "activities delete": "nesa activities delete support-maths-122108 --dry-run",
    "activities new": 'nesa activities new support-maths-122108 --title "Maths mastery support" --kind school-to-school-support --lead "122143:Usman Hedley" --start 2027-01-11 --school 122108',
    "activities set": "nesa activities set support-maths-122108 time.amount=4 time.unit=days",
    "agenda": "nesa agenda 2026-12-09-strategic-board --format html -o agenda.html",
    "alliance set": "nesa alliance set census_date=2026-10-01",
    "minutes": "nesa minutes 2026-10-14-strategic-board --format pdf -o minutes.pdf",
    "pack": "nesa pack 2026-12-09-strategic-board -o pack.pdf",
    "broker": "nesa broker maths-mastery",
    "calendar": "nesa calendar -o meetings.ics",
    "commit": "nesa commit -m \"Thropton's new phone number\"",
    "contacts": "nesa contacts --network sencos",
    "diff": "nesa diff --since 7d",
    "digest": "nesa digest --since 14d --html digest.html",
    "engagement": "nesa engagement --from 2025-09-01 --to 2026-08-31",
    "equity": "nesa equity --from 2025-09-01 --to 2026-08-31 --plot equity.svg",
    "finance budget": "nesa finance budget 2026-27",
    "finance papers budget": "nesa finance papers budget 2026-27 --format pdf -o budget.pdf",
    "finance papers contributions": "nesa finance papers contributions 2026-27 --format csv -o contributions.csv",
    "finance papers debtors": "nesa finance papers debtors --as-of 2026-11-30 --format pdf -o debtors.pdf",
    "finance papers statement": "nesa finance papers statement choppington 2026-27 --format pdf -o statement.pdf",
    "finance papers reminder": "nesa finance papers reminder 122353 --format pdf -o reminder.pdf",
    "finance balances": "nesa finance balances",
    "bodies list": "nesa bodies list",
    "bodies show": "nesa bodies show improvement-board --all",
    "bodies new": 'nesa bodies new heads-reference-group --name "Headteacher Reference Group" --purpose "Heads advise the board"',
    "bodies add-member": 'nesa bodies add-member improvement-board "Ms Priya Shah" --organisation "Northumbria University" --role member --from 2026-09-01',
    "bodies end-term": 'nesa bodies end-term improvement-board "Ms Priya Shah" --organisation "Northumbria University" --date 2027-08-31',
    "templates copy": "nesa templates copy agenda.typ",
    "bodies set": 'nesa bodies set improvement-board purpose="Holds the alliance to account for standards"',
    "bodies delete": "nesa bodies delete heads-reference-group --dry-run",
    "finance confirm": 'nesa finance confirm 122346 --date 2026-11-20 --minute "FGB 5/26 item 4" --year 2026-27',
    "finance contributions": "nesa finance contributions 2025-26",
    "finance new": 'nesa finance new 2027-28 fund.name="NESA Partnership Fund"',
    "finance recharge": 'nesa finance recharge shared-caretaker --description "Shared caretaker" --provider 122101 --amount 3000 --split equal --school 122108 --year 2026-27',
    "finance recharges": "nesa finance recharges 2026-27",
    "finance set": "nesa finance set 2026-27 payment_terms_days=28",
    "finance source": 'nesa finance source dfe-grant --kind grant --name "DfE partnership grant" --amount 5000 --year 2026-27',
    "finance spend": 'nesa finance spend 450 --stream wellbeing --description "Wellbeing day: speaker" --date 2026-11-23',
    "finance stream": "nesa finance stream wellbeing --name Wellbeing --budget 2000 --year 2026-27",
    "history": "nesa history rothbury",
    "impact": "nesa impact --from 2025-09-01 --to 2026-08-31",
    "import gias": "nesa import gias edubasealldata20261120.csv --dry-run",
    "init": 'nesa init barnet-alliance --name "Barnet Schools\' Partnership" --short BSP --la 302 --area Barnet',
    "invoices issue": "nesa invoices issue 2026-27 --dry-run",
    "invoices list": "nesa invoices list --overdue --year 2025-26",
    "invoices pay": "nesa invoices pay NESA-2025-0001 --date 2026-11-20",
    "invoices render": "nesa invoices render NESA-2025-0001 --format pdf -o invoices/",
    "invoices show": "nesa invoices show NESA-2025-0001",
    "invoices void": 'nesa invoices void NESA-2025-0001 --reason "Raised twice"',
    "list": "nesa list activity",
    "meetings attend": "nesa meetings attend 2027-01-20-network-early-years 122101 present",
    "meetings decide": 'nesa meetings decide 2027-01-20-network-early-years "Adopt the EYFS moderation calendar."',
    "meetings delete": "nesa meetings delete 2027-01-20-network-early-years --dry-run",
    "meetings list": "nesa meetings list --from 2026-11-23 --to 2026-12-31",
    "meetings new": "nesa meetings new --body network:sencos --date 2027-01-20 --start 15:45 --end 17:00",
    "meetings set": 'nesa meetings set 2027-01-20-network-early-years venue="Rothbury First School"',
    "meetings show": "nesa meetings show 2026-12-09-strategic-board",
    "membership join": "nesa membership join 122108 --date 2026-12-01 --state member",
    "membership report": "nesa membership report --by year",
    "membership withdraw": 'nesa membership withdraw 122136 --date 2026-12-31 --reason "Joining a trust"',
    "networks add-member": 'nesa networks add-member sencos 122108 --person "Ben Scott"',
    "networks delete": "nesa networks delete early-years --dry-run",
    "networks list": "nesa networks list",
    "networks new": 'nesa networks new early-years --name "Early Years Network" --kind phase --lead "122101:Maria Fenwick"',
    "networks remove-member": 'nesa networks remove-member sencos 122108 --person "Ben Scott"',
    "networks set": "nesa networks set early-years frequency=termly",
    "networks show": "nesa networks show sencos --all",
    "partnerships add": 'nesa partnerships add cheviot --name "Cheviot Partnership" --type loose --link lgreen',
    "partnerships list": "nesa partnerships list",
    "partnerships propose": "nesa partnerships propose",
    "partnerships show": "nesa partnerships show simonside",
    "people find": "nesa people find fenwick",
    "policies adopt": 'nesa policies adopt send 122101 122108 --date 2026-11-20 --body "Full governing body"',
    "policies delete": "nesa policies delete online-safety --dry-run",
    "policies due": "nesa policies due --within 60d",
    "policies list": "nesa policies list --statutory",
    "policies new": 'nesa policies new online-safety --title "Online Safety Policy" --area safeguarding --approved 2026-11-20 --owner rhall',
    "policies publish": 'nesa policies publish send --version 3.0 --date 2026-11-20 --summary "KCSIE 2026"',
    "policies set": "nesa policies set send review_months=24",
    "policies show": "nesa policies show child-protection-safeguarding",
    "schools add": 'nesa schools add 122999 --name "Longhorsley First School" --phase first --type community --town Morpeth --postcode "NE65 8UZ"',
    "schools add-contact": 'nesa schools add-contact 122108 --role senco --name "Ann Lee"',
    "schools convert": 'nesa schools convert 122220 149876 --on 2026-09-01 --name "Bellingham Primary Academy" --dry-run',
    "schools delete": "nesa schools delete 122999 --dry-run",
    "schools list": "nesa schools list --phase first --status member",
    "schools pupils": "nesa schools pupils 122108 214 --census 2026-10-01",
    "schools remove-contact": 'nesa schools remove-contact 122108 "Ann Lee"',
    "schools set": 'nesa schools set 122108 phone="01670 555111" capacity=60',
    "schools show": "nesa schools show rothbury",
    "status": "nesa status --within 90d",
    "team add": 'nesa team add lgreen --name "Laura Green" --role administrator --email laura.green@nesa.example.org',
    "templates list": "nesa templates list",
    "validate": "nesa validate data/schools --format github",
}


def apply(app) -> None:
    """Panels for the top-level commands, and each command's example as the
    end of its help (a command whose help already has one is left as it is)."""
    from typer.models import DefaultPlaceholder

    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        if isinstance(info.rich_help_panel, DefaultPlaceholder) or info.rich_help_panel is None:
            info.rich_help_panel = _PANEL_OF.get(name)
        _example(info, name)
        _metavars(info)
    app.registered_commands.sort(key=_panel_order)
    app.registered_groups.sort(key=_panel_order)
    for group in app.registered_groups:
        if isinstance(group.rich_help_panel, DefaultPlaceholder) or group.rich_help_panel is None:
            group.rich_help_panel = _PANEL_OF.get(group.name)
        if group.typer_instance is not None:
            _group_examples(group.typer_instance, group.name)


def _group_examples(typer_app, path: str) -> None:
    """Examples and metavars for a group's commands, and its groups' (nesa finance papers budget)."""
    for info in typer_app.registered_commands:
        _example(info, f"{path} {info.name or info.callback.__name__.replace('_', '-')}")
        _metavars(info)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _group_examples(group.typer_instance, f"{path} {group.name}")


def _panel_order(info) -> int:
    panel = info.rich_help_panel
    return list(PANELS).index(panel) if panel in PANELS else len(PANELS)


def _metavars(info) -> None:
    """An argument without a metavar is shown by its name in capitals (SCHOOL)."""
    import inspect

    from typer.models import ArgumentInfo

    if info.callback is None:
        return
    for name, param in inspect.signature(info.callback).parameters.items():
        if isinstance(param.default, ArgumentInfo) and param.default.metavar is None:
            param.default.metavar = name.upper()


def _example(info, path: str) -> None:
    import inspect

    line = EXAMPLES.get(path)
    text = info.help if info.help is not None else (inspect.getdoc(info.callback) if info.callback else "")
    if not line or "Example" in (text or "") or info.epilog:
        return
    info.epilog = f"Example: {line}"


def plain_types() -> None:
    """Help shows words, not Python types: patch the type column of Typer's
    options and arguments once (only the help text changes, never parsing)."""
    from typer import core

    if getattr(core, "_nesa_plain", False):
        return

    def option_type(self, ctx):
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        desc = self.type_descriptor
        if desc.is_choice and self.show_choices:
            return self.display_type(ctx).strip("<>")
        word = (self.name or "value").upper()
        return word + ("..." if self.multiple or self.nargs != 1 else "")

    def argument_type(self, ctx):
        desc = self.type_descriptor
        if desc.is_choice and self.show_choices:
            return self.display_type(ctx).strip("<>")
        return None

    def many(self, name: str) -> str:
        return name if self.nargs == 1 or name.endswith(("...", "]")) else name + "..."

    def rich_name(self):
        return many(self, self.display_name_raw)

    def usage_name(self):  # SCHOOL, [SCHOOL], SCHOOLS...: not Typer's {SCHOOL}
        name = many(self, self.display_name_raw)
        return name if self.required or name.startswith("[") else f"[{name}]"

    core.TyperArgument._rich_display_name = rich_name
    core.TyperArgument._usage_display_name = usage_name
    core.TyperOption.display_type_rich = option_type
    core.TyperArgument.display_type_rich = argument_type
    core.TyperOption._get_number_range_help_str = lambda self: None
    core.TyperArgument._get_number_range_help_str = lambda self: None
    core._nesa_plain = True
