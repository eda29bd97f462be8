"""Check the claim: extract quantitative crime claims from a story and verify them."""
