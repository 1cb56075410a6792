"""What every solver and report shares about a scenario: distances, need, the Instance built
from them, the rules a stop must obey, and the figures of any list of stops."""
