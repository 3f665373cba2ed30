{# The confirmed mapping's `value_maps` table as `stames-sf map confirm` wrote it (mapping/warehouse.py). #}
with source as (select * from {{ source('mapping', 'value_maps') }})

select * from source
