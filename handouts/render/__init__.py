"""Compose and render: content + brand + labels -> flowables -> PDF bytes. No file writing here."""
