"""School-to-school collaboration: activities, equity, brokerage, partnership proposals, impact.

Pure functions over the model returning plain data or Listings.
"""
