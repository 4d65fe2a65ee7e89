-- The 125 RFM codes (R, F and M scores as three digits, `541` = R5 F4 M1) and the
-- segment of each, as listed in the product's RFM definition. Reads nothing.
CREATE OR REPLACE TEMP TABLE rfm_segment_codes AS
SELECT unnest(string_split(codes, ' ')) AS rfm_code, segment
FROM (
    VALUES
        ('Champions', '555 554 545 544 455 454 445'),
        ('Loyal customers', '543 444 435 355 354 345 344 335'),
        (
            'Potential loyalists',
            '553 552 551 542 541 533 532 531 453 452 451 442 441 431 433 432 423 '
            '353 352 351 342 341 333 323'
        ),
        ('New customers', '512 511 422 421 412 411 311'),
        (
            'Promising',
            '525 524 523 522 521 515 514 513 425 424 415 414 413 315 314 313'
        ),
        ('Need attention', '535 534 443 434 343 334 325 324'),
        ('About to sleep', '331 321 312 221 213 231 241 251'),
        (
            'At risk',
            '255 254 253 252 245 244 243 242 235 234 225 224 153 152 145 143 142 '
            '135 134 133 125 124'
        ),
        ('Can''t lose them', '155 154 144 215 214 115 114 113'),
        ('Hibernating', '332 322 233 232 223 222 132 123 122 212 211'),
        ('Lost', '111 112 121 131 141 151')
) AS t(segment, codes)
