"""Tests of capacity-aware routing: the engine, move checks, moves and undo."""
