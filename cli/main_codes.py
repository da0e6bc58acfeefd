"""Exit codes scripts can rely on.

0 success; 1 the checked thing has problems (invalid mapping, rejected or failed submissions);
2 wrong usage (click's own); 3 the tool could not run (settings, files, network).
"""

EXIT_PROBLEMS = 1
EXIT_CANNOT_RUN = 3
