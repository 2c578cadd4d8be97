"""技术市场: enterprise technology needs, achievements, experts, dockings and contracts."""
