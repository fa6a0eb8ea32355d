"""EventBridge in templates: buses and their rules' targets as edges, schedules as services whose
rate is the schedule's, Scheduler schedules, SAM and serverless.yml events, pipes as edges."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from sls_check.api import cost, limits, load
from sls_check.importers import import_files
from sls_check.schedules import schedule_rate

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.13, CodeUri: src/, Handler: app.handler}
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: orders}
  Publisher:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - EventBridgePutEventsPolicy: {EventBusName: !Ref Bus}
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Orders:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref Bus
            Pattern: {source: [shop.orders]}
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
  Queue:
    Type: AWS::SQS::Queue
  QueueRule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: orders
      EventPattern: {source: [shop.orders]}
      Targets:
        - {Arn: !GetAtt Queue.Arn, Id: q}
  Ec2Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [aws.ec2]}
      Targets:
        - {Arn: !GetAtt Consumer.Arn, Id: c}
  Tick:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(5 minutes)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target: {Arn: !GetAtt Consumer.Arn, RoleArn: arn:aws:iam::123456789012:role/x}
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/p
      Source: !GetAtt Queue.Arn
      Target: !GetAtt Consumer.Arn
"""


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def services(path: Path) -> dict[str, Any]:
    imp = import_files([path], discover=False)
    assert imp.doc is not None
    data: dict[str, Any] = imp.doc.data["services"]
    return data


def test_buses_rules_and_schedules_map_to_eventbridge_services_and_edges(tmp_path: Path) -> None:
    svcs = services(write(tmp_path, "template.yaml", TEMPLATE))
    assert svcs["Bus"]["type"] == "eventbridge" and svcs["Bus"]["bus"] == "custom"
    assert svcs["Bus"]["connects"] == [
        {"to": "Queue", "rule": "QueueRule"},
        {"to": "Consumer", "rule": "ConsumerOrders"},
    ]
    # a rule with no EventBusName is on the default bus; an aws.* pattern means free AWS events
    assert svcs["DefaultEventBus"] == {
        "type": "eventbridge",
        "bus": "default",
        "events": "aws",
        "connects": [{"to": "Consumer", "rule": "Ec2Rule"}],
    }
    assert svcs["Tick"]["schedule"] == "rate(5 minutes)" and svcs["Tick"]["scheduler"] is True
    assert svcs["Tick"]["connects"] == ["Consumer"]
    assert svcs["ConsumerNightly"]["schedule"] == "rate(1 day)" and "scheduler" not in svcs["ConsumerNightly"]
    # the PutEvents policy is a candidate edge to the bus; the pipe an edge source -> target
    assert {"to": "Bus", "description": "candidate: EventBridgePutEventsPolicy"} in svcs["Publisher"]["connects"]
    assert "Consumer" in svcs["Queue"]["connects"]
    assert "QueueRule" not in svcs and "Ec2Rule" not in svcs and "Pipe" not in svcs


def test_no_eventbridge_resource_is_an_unmodelled_note(tmp_path: Path) -> None:
    imp = import_files([write(tmp_path, "template.yaml", TEMPLATE)], discover=False)
    assert [n for n in imp.notes if n.rule in ("IMP001", "IMP003")] == []


def test_a_custom_pattern_on_the_default_bus_keeps_it_custom(tmp_path: Path) -> None:
    text = TEMPLATE.replace("EventPattern: {source: [aws.ec2]}", "EventPattern: {source: [shop.billing]}")
    assert "events" not in services(write(tmp_path, "template.yaml", text))["DefaultEventBus"]


@pytest.mark.parametrize(
    ("expression", "per_month"),
    [
        ("rate(5 minutes)", 8760),
        ("rate(1 hour)", 730),
        ("rate(1 day)", 730 / 24),
        ("cron(0 12 * * ? *)", 730 / 24),
        ("cron(0/15 * * * ? *)", 4 * 730),
        ("cron(0 8 ? * MON-FRI *)", 730 / 24 * 5 / 7),
        ("cron(0 0 1 * ? *)", 1),
        ("at(2027-01-01T00:00:00)", 0),
    ],
)
def test_schedule_rates_are_counted_from_the_expression(expression: str, per_month: float) -> None:
    rate = schedule_rate(expression)
    assert rate is not None and rate * 730 * 3600 == pytest.approx(per_month)


@pytest.mark.parametrize(
    "expression", ["cron(0 0 L * ? *)", "cron(0 10 ? * 6#3 *)", "rate(1 minutes)", "rate(5 minute)"]
)
def test_schedules_slscheck_cannot_count_have_no_rate(expression: str) -> None:
    assert schedule_rate(expression) is None


SPEC = """
slscheck: 1
name: t
region: us-east-1
workload: {rps: 100}
services:
  fn: {type: lambda, runtime: python3.13, connects: [{to: bus, calls: 2}]}
  bus: {type: eventbridge, bus: custom, event_kb: 100, connects: [{to: a, rule: r1, calls: 0.25}]}
  a: {type: lambda, runtime: python3.13}
  tick: {type: eventbridge, schedule: "rate(1 minute)", scheduler: true, connects: [a]}
"""


def test_a_schedule_pins_its_rate_and_the_bus_passes_the_matched_share(tmp_path: Path) -> None:
    path = write(tmp_path, "arch.yaml", SPEC)
    g = load(path).graph
    assert g.traffic["tick"].rps == pytest.approx(1 / 60) and g.traffic["tick"].pinned
    assert g.traffic["bus"].rps == pytest.approx(200)
    assert g.traffic["a"].rps == pytest.approx(200 * 0.25 + 1 / 60)


def test_custom_events_are_priced_per_64_kb_chunk_and_scheduler_invocations_per_million(tmp_path: Path) -> None:
    run = cost(write(tmp_path, "arch.yaml", SPEC))
    lines = {(s.service, line.item): line for s in run.scenarios[0].report.services for line in s.lines}
    # 200 events/s x 2,628,000 s = 525,600,000 events, 100 KB each = 2 chunks: 1,051.2 M x $1.00
    events = lines[("bus", "Custom events published (64 KB chunks)")]
    assert float(events.quantity) == pytest.approx(1051.2) and float(events.monthly) == pytest.approx(1051.2)
    # 43,800 invocations a month (one a minute) x $1.00 per million, free tier off
    sched = lines[("tick", "Scheduler invocations")]
    assert float(sched.quantity) == pytest.approx(0.0438) and float(sched.monthly) == pytest.approx(0.04, abs=0.005)


def test_limits_rows_show_putevents_invocations_and_rules(tmp_path: Path) -> None:
    rows = {(r.service, r.quota): r for r in limits(write(tmp_path, "arch.yaml", SPEC)).rows}
    put = rows[("bus", "eventbridge_put_events_rps")]
    assert (put.limit, put.needed) == (10000, pytest.approx(200))
    inv = rows[("account:us-east-1", "eventbridge_invocations_rps")]
    assert inv.limit == 18750 and inv.needed == pytest.approx(50 + 1 / 60)
    assert rows[("bus", "eventbridge_rules_per_bus")].needed == 1
