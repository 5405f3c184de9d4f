"""The application shell: configs, sweeps, executors, HDF5 archives and the CLI."""

__all__: list[str] = []
