"""What units publish to citizens, their follows, ratings and comments."""
