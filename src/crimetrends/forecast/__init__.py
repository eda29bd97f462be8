"""Monthly count forecasts with prediction intervals, and their rolling-origin evaluation."""
