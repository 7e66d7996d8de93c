"""The plan layer: the model, its files and its checks."""

from roomplan.plan.files import FORMATS, load_plan, plan_bytes, save_plan, validate
from roomplan.plan.geometry import Partition
from roomplan.plan.model import (
    DEVICE_KINDS,
    ROOM_KINDS,
    Defaults,
    Desk,
    Device,
    Door,
    PartitionRating,
    Plan,
    Rating,
    Room,
    Screen,
    Staff,
    Window,
)
from roomplan.plan.problems import MAX_BYTES, MAX_FEATURES, PlanError, Problem

__all__ = [
    "DEVICE_KINDS",
    "FORMATS",
    "MAX_BYTES",
    "MAX_FEATURES",
    "ROOM_KINDS",
    "Defaults",
    "Desk",
    "Device",
    "Door",
    "Partition",
    "PartitionRating",
    "Plan",
    "PlanError",
    "Problem",
    "Rating",
    "Room",
    "Screen",
    "Staff",
    "Window",
    "load_plan",
    "plan_bytes",
    "save_plan",
    "validate",
]
