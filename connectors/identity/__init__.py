"""Identity resolution: resident ID numbers, and matching people without one."""
