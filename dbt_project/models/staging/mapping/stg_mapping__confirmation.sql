{# The confirmed mapping's `confirmation` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'confirmation') }})

select * from source
