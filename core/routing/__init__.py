"""Capacity-aware, explainable routing: who should work an escalation, and recording every move."""
