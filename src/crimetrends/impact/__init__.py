"""Did a program move the numbers? Impact estimates with intervals, robustness and labels."""
